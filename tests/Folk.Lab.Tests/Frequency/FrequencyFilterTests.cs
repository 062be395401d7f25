using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Frequency;

public class FrequencyFilterTests
{
    [Theory]
    [InlineData(32, 32)] [InlineData(31, 27)]
    public void AllOnesMaskIsTheIdentity(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 2, 3, h, w });
        using var ones = torch.ones(h, w);
        using var y = FrequencyFilter.Apply(x, ones);
        Assert.True((y - x).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void AllZerosMaskGivesBlack()
    {
        using var x = TestImages.Natural(2, 32);
        using var y = FrequencyFilter.Apply(x, torch.zeros(32, 32));
        Assert.True(y.abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void LowPassPlusHighPassIsTheImage()
    {
        using var x = TestImages.Natural(2, 64);
        using var m = RadialMask.LowPassBranch(64, 6);
        using var low = FrequencyFilter.Apply(x, m, clamp: false);
        using var high = FrequencyFilter.Apply(x, 1 - m, clamp: false);
        Assert.True((low + high - x).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void HighPassImagesClipAboutHalfTheirPixelsToZero()
    {
        // Jiahao000/MFM models/mfm.py clamps after filtering; removing DC leaves zero-mean channels, so about half
        // the pixels clamp to 0.
        using var x = TestImages.Natural(4, 224);
        using var high = FrequencyFilter.Apply(x, 1 - RadialMask.LowPassBranch(224, 16));
        double zeroShare = high.eq(0).to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(zeroShare, 0.35, 0.65);
        Assert.True(high.min().item<float>() >= 0 && high.max().item<float>() <= 1);
    }

    [Fact]
    public void WrongMaskShapesAreRefusedByName()
    {
        using var x = zeros(2, 3, 16, 16);
        var e = Assert.Throws<ArgumentException>(() => FrequencyFilter.Apply(x, zeros(16, 15)));
        Assert.Equal("mask", e.ParamName);
        Assert.Contains("16×15", e.Message);
        e = Assert.Throws<ArgumentException>(() => FrequencyFilter.Apply(x, zeros(3, 16, 16)));
        Assert.Contains("[3×16×16]", e.Message);
        e = Assert.Throws<ArgumentException>(() => FrequencyFilter.Apply(zeros(3, 16, 16), zeros(16, 16)));
        Assert.Equal("images", e.ParamName);
    }

    public static TheoryData<string> MaskKinds => new() { "radial", "random-asymmetric", "per-channel", "single" };

    [PyTorchTheory, MemberData(nameof(MaskKinds))]
    public void MatchesMfmFrequencyTransform(string kind)
    {
        using var x = TestImages.Natural(4, 48, seed: 7);
        using var g = new Generator(3);
        using var mask = kind switch
        {
            "radial" => new RadialMask(new RadialMaskOptions { Radius1 = 5 }).Sample(x, g).Masks,
            "random-asymmetric" => rand(new long[] { 4, 48, 48 }, generator: g).lt(0.5).to(ScalarType.Float32),
            "per-channel" => rand(new long[] { 4, 3, 48, 48 }, generator: g).lt(0.3).to(ScalarType.Float32),
            _ => RadialMask.LowPassBranch(48, 9, 20),
        };
        using var ours = FrequencyFilter.Apply(x, mask);
        var reference = PyTorchReference.Call("filter", new Dictionary<string, Tensor> { ["images"] = x, ["mask"] = mask });
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1e-5, $"filtered images ({kind} mask)");
    }

    [PyTorchFact]
    public void MatchesOnOddSizesWithoutClamp()
    {
        using var x = TestImages.Uniform(new long[] { 2, 3, 33, 29 });
        using var g = new Generator(4);
        using var mask = rand(new long[] { 2, 33, 29 }, generator: g).lt(0.5).to(ScalarType.Float32);
        using var ours = FrequencyFilter.Apply(x, mask, clamp: false);
        var reference = PyTorchReference.Call("filter", new Dictionary<string, Tensor> { ["images"] = x, ["mask"] = mask }, new { clamp = false });
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1e-5, "filtered odd-size images");
    }
}
