using Folk.Lab.Data;
using Folk.Lab.Data.Readers;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data;

/// <summary>
/// The 8-bit path (Resampling.EightBit): the MFM pre-training augmentation run on a file's 8-bit pixels, as PIL runs it
/// in MFM's data_mfm.py, against the float path the parity tests check.
/// </summary>
public sealed class EightBitPathTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-eightbit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly Compose Mfm = new(new RandomResizedCrop(new RandomResizedCropOptions { Size = 32, Scale = (0.2, 1.0) }), new RandomHorizontalFlip());

    /// <summary>A JPEG of a natural-looking picture (dead leaves: sharp edges, where bicubic overshoots), 72×96.</summary>
    static byte[] NaturalJpeg(long seed)
    {
        using var image = TestImages.Natural(1, 96, seed);
        using var hwc = image[0].narrow(1, 12, 72).mul(255).round_().to(ScalarType.Byte).permute(1, 2, 0).contiguous();
        return EncodedImages.Jpeg(hwc.data<byte>().ToArray(), 72, 96, quality: 90);
    }

    static Tensor ToUnit(Tensor pixels)
    {
        using var rgb = pixels.narrow(0, 0, 3);
        using var f = rgb.to(ScalarType.Float32);
        return f.div(255f);
    }

    [Fact]
    public void TheEightBitPathDrawsTheSameBoxesAndFlipsAndDiffersOnlyByRounding()
    {
        var jpeg = NaturalJpeg(4);
        using var image = ImageDecoder.Decode(jpeg, "natural.jpg");
        using var hwc = ImageDecoder.DecodePixels(jpeg, "natural.jpg");
        using var pixels = hwc.permute(2, 0, 1);
        Assert.Equal(new long[] { 72, 96, 4 }, hwc.shape);
        using (var unit = ToUnit(pixels)) TensorAssert.Equal(image, unit, "the 8-bit pixels / 255 are the float decode");

        double worst = 0, meanSum = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            Random a = new(seed), b = new(seed);
            using var floatView = Mfm.Apply(image, a);
            using var eight = Mfm.ApplyEightBit(pixels, b);
            using var eightRgb = eight.narrow(0, 0, 3);
            using var rgbPixels = pixels.narrow(0, 0, 3);
            using var eightFromRgb = Mfm.ApplyEightBit(rgbPixels, new Random(seed));
            TensorAssert.Equal(eightFromRgb, eightRgb, "RGBA and RGB pixels give the same RGB");
            Assert.Equal(a.Next(), b.Next());                                                    // the same random draws
            using var eightView = ToUnit(eight);
            using var diff = (floatView - eightView).abs();
            worst = Math.Max(worst, diff.max().item<float>() * 255);
            meanSum += diff.mean().item<float>() * 255;
        }
        // Rounding each pass to 8 bits moves a value by < 1 level on average; where bicubic overshoots at an edge the
        // float path keeps the overshoot into the second pass and the 8-bit path clips it first (measured: mean 0.31,
        // max 14.4 levels on these hard-edged pictures). A wrong box or flip would give a mean of tens of levels.
        Assert.True(meanSum / 20 < 0.5, $"mean |float − 8-bit| = {meanSum / 20:F3} levels");
        Assert.True(worst <= 24, $"max |float − 8-bit| = {worst:F1} levels");
    }

    [Fact]
    public void TheLoaderTakesTheEightBitPathForFilesWithAnEightBitTransformOnly()
    {
        for (int i = 0; i < 6; i++)
        {
            var folder = Path.Combine(_dir, i % 2 == 0 ? "a" : "b");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"{i}.jpg"), NaturalJpeg(i));
        }
        var files = new ImageFolderDataset(_dir);
        var options = new DataLoaderOptions { BatchSize = 3, Shuffle = false, Workers = 2, Seed = 11 };
        var eight = new DataLoader(files, Mfm, options);
        var floats = new DataLoader(files, Mfm, options with { Resampling = Resampling.Float });
        Assert.True(eight.EightBitPath);
        Assert.False(floats.EightBitPath);
        Assert.False(new DataLoader(new SyntheticImages(new SyntheticImagesOptions { Count = 4, Size = 16 }), Mfm, options).EightBitPath);
        var jitter = new Compose(Mfm, new ColorJitter());
        Assert.False(jitter.SupportsEightBit);
        Assert.False(new DataLoader(files, jitter, options).EightBitPath);

        using var e = eight.Epoch(1).Skip(1).First();
        using var f = floats.Epoch(1).Skip(1).First();
        Assert.Equal(new[] { 3, 4, 5 }, e.Indices);
        Assert.Equal(e.Labels.data<long>().ToArray(), f.Labels.data<long>().ToArray());
        for (int i = 0; i < 3; i++)
        {
            int index = e.Indices[i];
            var file = files.GetEncoded(index);
            using var hwc = ImageDecoder.DecodePixels(file.Bytes, file.Source);
            using var pixels = hwc.permute(2, 0, 1);
            using var manual8 = Mfm.ApplyEightBit(pixels, SampleSeed.Random(11, 1, index));
            using var expected8 = ToUnit(manual8);
            TensorAssert.Equal(expected8, e.Images[i], $"image {index}: the 8-bit batch is decode → ApplyEightBit → /255");
            using var image = files.Get(index).Image;
            using var expectedFloat = Mfm.Apply(image, SampleSeed.Random(11, 1, index));
            TensorAssert.Equal(expectedFloat, f.Images[i], $"image {index}: the float batch is decode → Apply");
            using var diff = (e.Images[i] - f.Images[i]).abs();
            Assert.True(diff.mean().item<float>() * 255 < 0.5);
        }
    }

    [Fact]
    public void CorruptFilesAreNamedOnTheEightBitPathToo()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "a"));
        for (int i = 0; i < 4; i++) File.WriteAllBytes(Path.Combine(_dir, "a", $"{i}.jpg"), NaturalJpeg(i));
        var broken = Path.Combine(_dir, "a", "2.jpg");
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..600]);
        var options = new DataLoaderOptions { BatchSize = 4, Shuffle = false, Workers = 2 };
        var e = Assert.Throws<ImageDecodeException>(() => new DataLoader(new ImageFolderDataset(_dir), Mfm, options).Epoch(0).First());
        Assert.Contains(broken, e.Message);
        var skipping = new DataLoader(new ImageFolderDataset(_dir), Mfm, options with { CorruptImages = CorruptImagePolicy.Skip });
        using var batch = skipping.Epoch(0).Single();
        Assert.Equal(new[] { 0, 1, 3 }, batch.Indices);
        Assert.Equal(broken, Assert.Single(skipping.Skipped).Source);
    }

    [Fact]
    public void WrongPixelsAreRefusedAndNothingLeaks()
    {
        using var floats = rand(3, 8, 8);
        Assert.Contains("must be 8-bit pixels (uint8)", Assert.Throws<ArgumentException>(() => Mfm.ApplyEightBit(floats, new Random(0))).Message);
        using var two = zeros(new long[] { 2, 8, 8 }, dtype: ScalarType.Byte);
        Assert.Contains("C = 3 (RGB) or 4 (RGBA)", Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().ApplyEightBit(two, new Random(0))).Message);
        Assert.Contains("ColorJitter cannot run on 8-bit pixels",
            Assert.Throws<InvalidOperationException>(() => new Compose(new ColorJitter()).ApplyEightBit(two, new Random(0))).Message);

        var jpeg = NaturalJpeg(1);
        void Once()
        {
            using var hwc = ImageDecoder.DecodePixels(jpeg, "x.jpg");
            using var pixels = hwc.permute(2, 0, 1);
            using var view = Mfm.ApplyEightBit(pixels, new Random(3));
        }
        Once();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) Once();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
