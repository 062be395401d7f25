using Folk.Lab.Corruptions.Common;
using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

public class DigitalCorruptionsTests
{
    static CorruptionConstants Table(int side) => side == 224 ? CorruptionConstants.ImageNet224 : CorruptionConstants.Cifar32;

    static Dictionary<string, Tensor> Call(string name, Dictionary<string, Tensor> inputs, object parameters) =>
        PyTorchReference.Call($"imagenet_c/digital/{name}", inputs, parameters);

    /// <summary>Images whose pixels are 8-bit levels, as the original's PIL images are.</summary>
    static Tensor EightBit(int count, int side, long seed)
    {
        using var x = TestImages.Natural(count, side, seed);
        return (x * 255).round_().div_(255);
    }

    static double HighFrequencyShare(Tensor images)
    {
        using var bands = BandEnergy.Fractions(images, new[] { images.shape[2] / 4.0 });
        return bands[.., 1].mean().item<double>();
    }

    [Fact]
    public void TablesHoldThePublishedConstants()
    {
        Assert.Equal(new[] { 0.4, .3, .2, .1, .05 }, DigitalCorruptions.ContrastFactor.For(CorruptionConstants.ImageNet224));
        Assert.Equal(new[] { .75, .5, .4, .3, 0.15 }, DigitalCorruptions.ContrastFactor.For(CorruptionConstants.Cifar32));
        Assert.Equal(new[] { 25, 18, 15, 10, 7 }, DigitalCorruptions.JpegQuality.For(CorruptionConstants.ImageNet224));
        Assert.Equal(new[] { 80, 65, 58, 50, 40 }, DigitalCorruptions.JpegQuality.For(CorruptionConstants.Cifar32));
        // int(224·c) and int(32·c), as Python truncates them
        Assert.Equal(new[] { 134, 112, 89, 67, 56 }, DigitalCorruptions.PixelateFactor.For(CorruptionConstants.ImageNet224).Select(c => (int)(224 * c)));
        Assert.Equal(new[] { 30, 28, 27, 24, 20 }, DigitalCorruptions.PixelateFactor.For(CorruptionConstants.Cifar32).Select(c => (int)(32 * c)));
        Assert.Equal(new ElasticConstants(488, 170.79999999999998, 24.400000000000002), DigitalCorruptions.Elastic[1, CorruptionConstants.ImageNet224]);
        Assert.Equal(new ElasticConstants(3.2, 0.96, 0.96), DigitalCorruptions.Elastic[5, CorruptionConstants.Cifar32]);
    }

    public static TheoryData<int, int> SeveritiesAndSides()
    {
        var data = new TheoryData<int, int>();
        foreach (var side in new[] { 224, 32 })
            for (int s = 1; s <= 5; s++) data.Add(s, side);
        return data;
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(SeveritiesAndSides))]
    public void ContrastMatchesTheOriginal(int severity, int side)
    {
        using var x = TestImages.Natural(2, side, seed: severity);
        using var ours = DigitalCorruptions.Contrast(x, DigitalCorruptions.ContrastFactor[severity, Table(side)]);
        var reference = Call("contrast", new() { ["images"] = x }, new { severity });
        // both compute in float64 and round once to float32; the mean's summation order may move the last bit
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1.2e-7, $"contrast s{severity} at {side}²");
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(SeveritiesAndSides))]
    public void PixelateMatchesPillowsBoxResize(int severity, int side)
    {
        using var x = EightBit(2, side, seed: severity);
        int small = (int)(side * DigitalCorruptions.PixelateFactor[severity, Table(side)]);
        using var ours = DigitalCorruptions.Pixelate(x, small);
        // Pillow on mode 'F' images sums in float64 and stores float32, as Folk.Lab does
        var exact = Call("pixelate_float", new() { ["images"] = x }, new { severity });
        TensorAssert.CloseRelativeToMax(exact["out"], ours, 1.2e-7, $"pixelate s{severity} at {side}² against Pillow in float");
        // Pillow on 8-bit RGB images, ImageNet-C's case, rounds to 8 bits after each pass: within one level
        var eightBit = Call("pixelate", new() { ["images"] = x }, new { severity });
        using var levels = ((ours - eightBit["out"]) * 255).abs();
        Assert.True(levels.max().item<float>() <= 1.0f + 1e-4f, $"pixelate s{severity} at {side}²: {levels.max().item<float>():F3} levels from Pillow's 8-bit result");
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(SeveritiesAndSides))]
    public void ElasticTransformMatchesTheOriginalGivenTheSameDraws(int severity, int side)
    {
        using var x = TestImages.Natural(2, side, seed: severity);
        var c = DigitalCorruptions.Elastic[severity, Table(side)];
        using var g = new Generator((ulong)(300 + severity));
        using var jitter = ((rand(new long[] { 2, 3, 2 }, dtype: ScalarType.Float64, generator: g) * 2 - 1) * c.AffineJitter).to(ScalarType.Float32);
        using var fields = rand(new long[] { 2, 2, side, side }, dtype: ScalarType.Float64, generator: g) * 2 - 1;
        using var ours = DigitalCorruptions.ElasticTransform(x, jitter, fields, c);
        var reference = Call("elastic_transform", new() { ["images"] = x, ["jitter"] = jitter, ["fields"] = fields }, new { severity });
        // Measured bit-exact here (the warp and the resampling are, see ElasticComponentsTests); the tolerance, one
        // float32 rounding, leaves room for libtorch to sum the float64 smoothing convolution in another order
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1.2e-7, $"elastic_transform s{severity} at {side}²");
    }

    [Fact]
    public void ElasticApplyDrawsTheJitterThenTheFieldsAndCallsTheCore()
    {
        using var x = TestImages.Natural(2, 32, seed: 8);
        var c = DigitalCorruptions.Elastic[3, CorruptionConstants.Cifar32];
        using var g1 = new Generator(5);
        using var applied = CommonCorruptions.Apply(CommonCorruption.ElasticTransform, x, 3, g1);
        using var g2 = new Generator(5);
        using var jitter = (-c.AffineJitter + 2 * c.AffineJitter * rand(new long[] { 2, 3, 2 }, dtype: ScalarType.Float64, generator: g2)).to(ScalarType.Float32);
        using var fields = -1.0 + 2.0 * rand(new long[] { 2, 2, 32, 32 }, dtype: ScalarType.Float64, generator: g2);
        using var expected = DigitalCorruptions.ElasticTransform(x, jitter, fields, c);
        // the same draws; the smoothing's float64 convolution may sum in another order under another thread count
        TensorAssert.CloseRelativeToMax(expected, applied, 1e-6, "elastic_transform through Apply");
    }

    [Fact]
    public void ElasticTransformWithoutJitterOrDisplacementIsTheIdentity()
    {
        using var x = TestImages.Natural(2, 32, seed: 2);
        using var jitter = zeros(2, 3, 2);
        using var fields = zeros(new long[] { 2, 2, 32, 32 }, dtype: ScalarType.Float64);
        using var y = DigitalCorruptions.ElasticTransform(x, jitter, fields, new ElasticConstants(5, 2, 1));
        TensorAssert.CloseRelativeToMax(x, y, 1e-7, "no jitter, no displacement");
    }

    [Fact]
    public void ContrastMultipliesEachChannelsStandardDeviationByTheFactor()
    {
        using var x = TestImages.Natural(4, 32, seed: 6);
        for (int s = 1; s <= 5; s++)
        {
            double c = DigitalCorruptions.ContrastFactor[s, CorruptionConstants.Cifar32];
            using var y = DigitalCorruptions.Contrast(x, c);
            using var before = x.to(ScalarType.Float64).std(new long[] { 2, 3 });
            using var after = y.to(ScalarType.Float64).std(new long[] { 2, 3 });
            // a convex combination of a pixel and its channel mean never leaves [0,1], so nothing is clipped
            TensorAssert.CloseRelativeToMax(before * c, after, 1e-5, $"std at severity {s}");
            TensorAssert.CloseRelativeToMax(x.mean(new long[] { 2, 3 }), y.mean(new long[] { 2, 3 }), 1e-5, "channel means are kept");
        }
    }

    [Theory]
    [InlineData(CommonCorruption.Pixelate, 224)]
    [InlineData(CommonCorruption.Pixelate, 32)]
    [InlineData(CommonCorruption.JpegCompression, 224)]
    [InlineData(CommonCorruption.JpegCompression, 32)]
    public void PixelateAndJpegLowerHighFrequencyEnergy(CommonCorruption corruption, int side)
    {
        using var x = TestImages.Natural(side == 224 ? 2 : 8, side, seed: 7);
        double clean = HighFrequencyShare(x);
        using var g = new Generator(0);
        foreach (var s in new[] { 1, 5 })
        {
            using var y = CommonCorruptions.Apply(corruption, x, s, g);
            Assert.True(HighFrequencyShare(y) < clean, $"{corruption.Name()} s{s} at {side}²: {HighFrequencyShare(y):g4} vs clean {clean:g4}");
        }
        using var mild = CommonCorruptions.Apply(corruption, x, 1, g);
        using var severe = CommonCorruptions.Apply(corruption, x, 5, g);
        Assert.True(HighFrequencyShare(severe) < HighFrequencyShare(mild), $"{corruption.Name()} at {side}²: severity 5 removes more than severity 1");
    }
}
