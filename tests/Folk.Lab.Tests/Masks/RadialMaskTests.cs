using Folk.Lab.Tests.Support;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Masks;

public class RadialMaskTests
{
    [Fact]
    public void LowPassAt224KeepsExactly793Frequencies()
    {
        using var m = RadialMask.LowPassBranch(224, 16);
        Assert.Equal(793, m.sum().item<float>());
    }

    // Jiahao000/MFM data/data_mfm.py (FreqMaskGenerator): kept-region sizes at 224² with the strict < test.
    [Theory]
    [InlineData(4, 45)] [InlineData(8, 193)] [InlineData(12, 437)] [InlineData(16, 793)] [InlineData(20, 1245)]
    [InlineData(24, 1789)] [InlineData(32, 3205)] [InlineData(48, 7209)] [InlineData(64, 12849)]
    [InlineData(96, 28913)] [InlineData(112, 39377)]
    public void KeptCountsMatchTheReferenceTable(int radius, int kept)
    {
        using var m = RadialMask.LowPassBranch(224, radius);
        Assert.Equal(kept, (int)m.sum().item<float>());
        using var high = 1 - m;
        Assert.Equal(224 * 224 - kept, (int)high.sum().item<float>());
    }
}

public class RadialMaskSamplingTests
{
    [Fact]
    public void CentreIsKeptByLowPassAndRemovedByHighPassAndTheRadiusIsStrict()
    {
        using var m = RadialMask.LowPassBranch(224, 16);
        Assert.Equal(1f, m[112, 112].item<float>());
        Assert.Equal(1f, m[112, 127].item<float>());      // d = 15
        Assert.Equal(0f, m[112, 128].item<float>());      // d = 16: not < 16
        Assert.Equal(0f, m[128, 112].item<float>());
    }

    [Fact]
    public void OuterRadiusMakesABand()
    {
        using var m = RadialMask.LowPassBranch(224, 16, 32);
        Assert.Equal(50176 - (3205 - 793), (int)m.sum().item<float>());   // removes exactly 16 ≤ d < 32
        Assert.Equal(1f, m[112, 112 + 40].item<float>());
        Assert.Equal(0f, m[112, 112 + 20].item<float>());
    }

    [Theory]
    [InlineData(0.5)] [InlineData(0.3)]
    public void LowPassIsDrawnWithProbabilityPLow(double p)
    {
        var mask = new RadialMask(new RadialMaskOptions { LowPassProbability = p });
        using var images = zeros(10_000, 1, 8, 8);
        using var g = new Generator(42);
        using var batch = mask.Sample(images, g);
        double observed = batch.Samples.Count(s => s.Kind == MaskKind.LowPass) / 10_000.0;
        double sigma = Math.Sqrt(p * (1 - p) / 10_000);
        Assert.InRange(observed, p - 4 * sigma, p + 4 * sigma);
        // the recorded kind is the mask that was built: low-pass masks keep DC
        using var dc = batch.Masks[.., 4, 4];
        var kept = dc.data<float>().ToArray();
        for (int i = 0; i < 10_000; i++) Assert.Equal(batch.Samples[i].Kind == MaskKind.LowPass ? 1f : 0f, kept[i]);
    }

    [Fact]
    public void SamplingIsDeterministicGivenTheGenerator()
    {
        var mask = new RadialMask();
        using var images = zeros(64, 3, 32, 32);
        MaskSample[] Draw(ulong seed)
        {
            using var g = new Generator(seed);
            using var batch = mask.Sample(images, g);
            return batch.Samples.ToArray();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void BandOptionsReportBandKinds()
    {
        var mask = new RadialMask(new RadialMaskOptions { Radius1 = 4, Radius2 = 8 });
        using var images = zeros(32, 3, 32, 32);
        using var g = new Generator(1);
        using var batch = mask.Sample(images, g);
        Assert.All(batch.Samples, s => Assert.Contains(s.Kind, new[] { MaskKind.BandStop, MaskKind.BandPass }));
    }

    [Fact]
    public void ScaledRadiiCutTheSameFraction()
    {
        var scaled = new RadialMaskOptions().ScaledTo(56);
        Assert.Equal(4.0, scaled.Radius1);
        Assert.Null(scaled.Radius2);
        Assert.Equal(0.5, scaled.LowPassProbability);
        Assert.Equal(0.3, RadialMaskOptions.ResNet50.LowPassProbability);
    }

    [Theory]
    [InlineData(0.0, null, 0.5, "Radius1", "0")]
    [InlineData(-3.0, null, 0.5, "Radius1", "-3")]
    [InlineData(16.0, 8.0, 0.5, "Radius2", "8")]
    [InlineData(16.0, null, 1.5, "LowPassProbability", "1.5")]
    [InlineData(16.0, null, -0.1, "LowPassProbability", "-0.1")]
    public void InvalidOptionsNameTheParameterAndValue(double r1, double? r2, double p, string name, string value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new RadialMask(new RadialMaskOptions { Radius1 = r1, Radius2 = r2, LowPassProbability = p }));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void NonSquareImagesAreRefused()
    {
        using var images = zeros(2, 3, 32, 24);
        using var g = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => new RadialMask().Sample(images, g));
        Assert.Contains("square", e.Message);
        Assert.Contains("[2×3×32×24]", e.Message);
    }

    [PyTorchTheory]
    [InlineData(224, 16.0, null)] [InlineData(224, 37.0, 90.0)] [InlineData(31, 5.0, null)] [InlineData(64, 4.5, 12.5)]
    public void MatchesMfmFreqMaskGenerator(int size, double r1, double? r2)
    {
        using var ours = RadialMask.LowPassBranch(size, r1, r2);
        var reference = PyTorchReference.Call("radial_mask", new Dictionary<string, Tensor> { ["dummy"] = zeros(1) },
            new { size, r1, r2 });
        TensorAssert.Equal(reference["mask"], ours, $"M at {size}², r1 = {r1}, r2 = {r2}");
    }
}
