using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data;

public class DataLoaderTests
{
    static readonly SyntheticImages Images = new(new SyntheticImagesOptions { Size = 16, Count = 50, Seed = 3 });

    /// <summary>Adds noise drawn from the per-sample Random: makes augmentation randomness visible.</summary>
    sealed class Jitter : IImageTransform
    {
        public Tensor Apply(Tensor image, Random random) => image + (float)random.NextDouble();
    }

    /// <summary>A dataset whose images at some indices are unreadable.</summary>
    sealed class Broken(IImageDataset inner, params int[] broken) : IImageDataset
    {
        public int Count => inner.Count;
        public IReadOnlyList<string> Classes => inner.Classes;
        public ImageSample Get(int index) =>
            broken.Contains(index) ? throw new ImageDecodeException($"/data/img{index}.jpg", "not a JPEG (bad marker 0x00 at byte 2)") : inner.Get(index);
    }

    static List<(int[] Indices, float[] Pixels)> Collect(DataLoader loader, int epoch, int start = 0) =>
        loader.Epoch(epoch, start).Select(b => { using (b) return (b.Indices, b.Images.flatten().data<float>().ToArray()); }).ToList();

    [Fact]
    public void OrderAndAugmentationDependOnlyOnSeedEpochAndIndex()
    {
        var one = new DataLoader(Images, new Jitter(), new DataLoaderOptions { BatchSize = 8, Workers = 1, Seed = 5 });
        var many = new DataLoader(Images, new Jitter(), new DataLoaderOptions { BatchSize = 8, Workers = 4, Prefetch = 1, Seed = 5 });
        var a = Collect(one, 2);
        var b = Collect(many, 2);
        Assert.Equal(6, a.Count);                                                        // 50 / 8, last batch dropped
        Assert.Equal(a.Select(x => x.Indices), b.Select(x => x.Indices));
        Assert.Equal(a.Select(x => x.Pixels), b.Select(x => x.Pixels));
        Assert.Equal(48, a.SelectMany(x => x.Indices).Distinct().Count());               // a permutation, no repeats
        Assert.NotEqual(a[0].Indices, Collect(one, 3)[0].Indices);                        // a new order each epoch
        Assert.Equal(a.Skip(4).Select(x => x.Pixels), Collect(many, 2, start: 4).Select(x => x.Pixels)); // resuming mid-epoch
    }

    [Fact]
    public void RepeatedAugmentationDrawsAThirdOfTheImagesThreeTimesEachWithDifferentAugmentations()
    {
        var options = new DataLoaderOptions { BatchSize = 6, Workers = 2, Seed = 5, RepeatedAugmentations = 3 };
        var loader = new DataLoader(Images, new Jitter(), options);
        var order = loader.Order(1);
        Assert.Equal(50, order.Length);                                                  // the epoch keeps N samples
        var runs = order.Chunk(3).ToList();
        Assert.All(runs.Take(16), run => Assert.True(run.Length == 3 && run.Distinct().Count() == 1)); // each image r times in a row
        Assert.Equal(17, order.Distinct().Count());                                      // ⌈50 / 3⌉ images
        var plain = new DataLoader(Images, null, options with { RepeatedAugmentations = 1 }).Order(1);
        Assert.Equal(plain.Take(17), order.Distinct());                                  // drawn in the shuffled order's sequence

        var batches = Collect(loader, 1);
        var pixels = batches[0].Pixels.Chunk(16 * 16 * 3).Select(p => p[0]).ToArray();   // one pixel per image: its jitter shows
        Assert.Equal(batches[0].Indices[0], batches[0].Indices[1]);
        Assert.NotEqual(pixels[0], pixels[1]);                                           // copies are augmented differently
        Assert.Equal(batches.Select(b => b.Pixels), Collect(new DataLoader(Images, new Jitter(), options with { Workers = 1 }), 1).Select(b => b.Pixels));
        Assert.Equal(batches.Skip(3).Select(b => b.Pixels), Collect(loader, 1, start: 3).Select(b => b.Pixels)); // resuming mid-epoch
    }

    [Fact]
    public void UnreadableImagesFailNamingTheFileByDefault()
    {
        var loader = new DataLoader(new Broken(Images, 7), null, new DataLoaderOptions { BatchSize = 10, Shuffle = false });
        var e = Assert.Throws<ImageDecodeException>(() => loader.Epoch(0).Select(b => { b.Dispose(); return 0; }).ToList());
        Assert.Equal("/data/img7.jpg", e.SourceName);
        Assert.Contains("bad marker", e.Message);
    }

    [Fact]
    public void SkipPolicyLeavesThemOutAndReportsThem()
    {
        var loader = new DataLoader(new Broken(Images, 3, 12), null,
            new DataLoaderOptions { BatchSize = 10, Shuffle = false, CorruptImages = CorruptImagePolicy.Skip });
        var sizes = loader.Epoch(0).Select(b => { using (b) return b.Count; }).ToList();
        Assert.Equal(new[] { 9, 9, 10, 10, 10 }, sizes);
        Assert.Equal(new[] { "/data/img12.jpg", "/data/img3.jpg" }, loader.Skipped.Select(s => s.Source).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StoppingEarlyStopsTheProducer()
    {
        var loader = new DataLoader(Images, null, new DataLoaderOptions { BatchSize = 5, Prefetch = 2 });
        using (var first = loader.Epoch(0).First()) Assert.Equal(5, first.Count);
        // and a fresh epoch starts cleanly afterwards
        Assert.Equal(10, loader.Epoch(1).Select(b => { b.Dispose(); return 0; }).Count());
    }

    [Fact]
    public void ImagesOfDifferentSizesAskForACropByName()
    {
        var loader = new DataLoader(new Mixed(), null, new DataLoaderOptions { BatchSize = 2, Shuffle = false });
        var e = Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).First());
        Assert.Contains("add a crop or resize transform", e.Message);
    }

    sealed class Mixed : IImageDataset
    {
        public int Count => 2;
        public IReadOnlyList<string> Classes => new[] { "a" };
        public ImageSample Get(int index) => new(zeros(3, 8 + index, 8), 0, $"mixed#{index}");
    }
}
