using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

[Collection(GlobalRngCollection.Name)]
public class MultiViewTransformTests
{
    [Fact]
    public void MakesReproducibleDistinctViewsThatTheLoaderStacksPerView()
    {
        var transform = MultiViewTransform.Dino(new MultiViewOptions { Size = 32, LocalCrops = 2, LocalSize = 16 });
        Assert.Equal(new[] { 32, 32, 16, 16 }, transform.Layout.Sizes);
        using var image = rand(3, 48, 48);
        var a = transform.Views(image, new Random(4));
        var b = transform.Views(image, new Random(4));
        for (int v = 0; v < 4; v++) TensorAssert.Equal(a[v], b[v], $"same random stream, same view {v}");
        Assert.False(a[0].equal(a[1]).all().item<bool>());                                   // two different crops
        foreach (var t in a.Concat(b)) t.Dispose();

        var data = new SyntheticImages(new SyntheticImagesOptions { Size = 48, Count = 3, Seed = 1 });
        using var batch = new DataLoader(data, transform, new DataLoaderOptions { BatchSize = 3, Shuffle = false, Seed = 2, Workers = 2 }).Epoch(0).Single();
        Assert.Equal(new long[] { 3, 3, 32, 32 }, batch.Views[0].shape);
        Assert.Equal(new long[] { 3, 3, 16, 16 }, batch.Views[3].shape);
        transform.Layout.Check(batch);
        using var sample = data.Get(1);
        var views = transform.Views(sample.Image, SampleSeed.Random(2, 0, 1));              // what the loader made of image 1
        for (int v = 0; v < 4; v++) TensorAssert.Equal(views[v], batch.Views[v][1], $"view {v} of image 1 stacked in place");
        foreach (var t in views) t.Dispose();
        Assert.Throws<InvalidOperationException>(() => batch.Images);                        // several views: no single Images
    }
}
