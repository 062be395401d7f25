using Folk.Lab.Data;
using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data;

public class SyntheticImagesTests
{
    [Fact]
    public void ImagesAreDeterministicBalancedAndInRange()
    {
        var a = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 40, Seed = 1 });
        var b = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 40, Seed = 1 });
        var c = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 40, Seed = 2 });
        using var x = a.Get(13);
        using var y = b.Get(13);
        using var z = c.Get(13);
        TensorAssert.Equal(x.Image, y.Image, "same seed and index");
        Assert.True(x.Image.ne(z.Image).any().item<bool>());
        Assert.Equal(new long[] { 3, 32, 32 }, x.Image.shape);
        Assert.True(x.Image.min().item<float>() >= 0 && x.Image.max().item<float>() <= 1);
        Assert.Equal(10, a.Classes.Count);
        Assert.Equal(Enumerable.Repeat(4, 10), Enumerable.Range(0, 40).GroupBy(i => a.Get(i).Label).Select(g => g.Count()));
        Assert.Equal("cross-checks", a.Classes[7]);
    }

    [Fact]
    public void SpectraFallRoughlyAsOneOverFSquared()
    {
        var data = new SyntheticImages(new SyntheticImagesOptions { Size = 128, Count = 8 });
        using var batch = stack(Enumerable.Range(0, 8).Select(i => data.Get(i).Image).ToArray());
        var fit = RadialProfile.Compute(batch).FitPowerLaw(minRadius: 2, maxRadius: 40);
        Assert.InRange(fit.Slope, -3.0, -1.5);
    }

    [Fact]
    public void SegmentationLabelsTheObjectWithItsClass()
    {
        var data = new SyntheticImages(new SyntheticImagesOptions { Size = 64, Count = 10, Segmentation = true });
        using var sample = data.Get(6);
        var map = sample.Segmentation!;
        Assert.Equal(new long[] { 64, 64 }, map.shape);
        var values = map.unique().Item1.data<long>().ToArray();
        Assert.Equal(new long[] { 0, 1 + 6 }, values);
        double share = map.gt(0).to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(share, 0.05, 0.6);                     // an object, not the whole image
    }

    [Fact]
    public void ShapeAloneOrTextureAloneCannotTellTheClasses()
    {
        // classes 0/1 share the disc, 0/2 share stripes: the class needs both.
        var data = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 10 });
        Assert.Equal(data.Classes[0].Split('-')[0], data.Classes[1].Split('-')[0]);
        Assert.Equal(data.Classes[0].Split('-')[1], data.Classes[2].Split('-')[1]);
        Assert.Equal(10, data.Classes.Distinct().Count());
    }
}
