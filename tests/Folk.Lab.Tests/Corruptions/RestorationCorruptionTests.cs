using Folk.Lab.Corruptions;
using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions;

public class RestorationCorruptionTests
{
    [Fact]
    public void SuperResolutionStaysInTheUnitRangeAndRemovesHighFrequencies()
    {
        using var x = TestImages.Natural(2, 64);
        using var g = new Generator(1);
        using var sr = new SuperResolutionCorruption().Apply(x, g);
        Assert.Equal(x.shape, sr.Images.shape);
        Assert.True(sr.Images.min().item<float>() >= 0 && sr.Images.max().item<float>() <= 1);
        using var bands = BandEnergy.Fractions(sr.Images, new[] { 8.0 });          // 64/8: little survives above 8 cycles
        using var original = BandEnergy.Fractions(x, new[] { 8.0 });
        Assert.True(bands[.., 1].max().item<double>() < original[.., 1].min().item<double>());
        Assert.Null(sr.Masks);
    }

    [Fact]
    public void BlurKernelIsANormalisedGaussian()
    {
        var k = GaussianBlurCorruption.Kernel1D(7, 5.0);
        Assert.Equal(1.0, k.Sum(), 6);
        Assert.Equal(Math.Exp(-9 / 50.0) / Math.Exp(0), k[0] / k[3], 6);
    }

    [Fact]
    public void BlurKeepsAConstantImageAndIsNotClamped()
    {
        using var flat = full(new long[] { 2, 3, 32, 32 }, 0.7f);
        var blur = new GaussianBlurCorruption();
        using var y = blur.Blur(flat, new[] { 7, 21 });
        Assert.True((y - 0.7f).abs().max().item<float>() < 1e-6);
        using var spiky = zeros(1, 1, 32, 32);
        spiky[0, 0, 16, 16] = 2f;                                             // out of range stays out of range
        using var spread = blur.Blur(spiky, new[] { 21 });
        Assert.Equal(2f, spread.sum().item<float>(), 4);
    }

    [Fact]
    public void BlurDrawsItsKernelSizeFromTheGenerator()
    {
        using var x = TestImages.Natural(16, 32);
        var blur = new GaussianBlurCorruption();
        Tensor Run(ulong seed) { using var g = new Generator(seed); return blur.Apply(x, g).Images; }
        using var a = Run(3);
        using var b = Run(3);
        using var c = Run(4);
        TensorAssert.Equal(a, b, "same seed");
        Assert.True(a.ne(c).any().item<bool>());
    }

    [Fact]
    public void NoiseHasTheConfiguredSigmaAndIsNotClipped()
    {
        using var x = full(new long[] { 8, 3, 64, 64 }, 0.5f);
        using var g = new Generator(1);
        using var noisy = new GaussianNoiseCorruption().Apply(x, g);
        using var noise = noisy.Images - x;
        Assert.InRange(noise.std().item<float>(), 75 / 255.0 * 0.98, 75 / 255.0 * 1.02);
        Assert.InRange(noise.mean().item<float>(), -0.01, 0.01);
        Assert.True(noisy.Images.min().item<float>() < 0 && noisy.Images.max().item<float>() > 1);
    }

    [Fact]
    public void MaskedFrequencyCorruptionFiltersWithTheMasksItReturns()
    {
        using var x = TestImages.Natural(4, 32);
        using var g = new Generator(2);
        using var corrupted = new MaskedFrequencyCorruption(new RadialMask(new RadialMaskOptions { Radius1 = 3 })).Apply(x, g);
        using var expected = FrequencyFilter.Apply(x, corrupted.Masks!.Masks);
        TensorAssert.Equal(expected, corrupted.Images, "corrupted images");
    }

    [Theory]
    [InlineData(new[] { 8 }, "odd and positive")]
    [InlineData(new[] { -1 }, "odd and positive")]
    public void InvalidKernelSizesAreRefused(int[] sizes, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianBlurCorruption(new GaussianBlurOptions { KernelSizes = sizes }));
        Assert.Contains(message, e.Message);
    }

    [PyTorchFact]
    public void SuperResolutionMatchesBicubicInterpolate()
    {
        using var x = TestImages.Natural(2, 64, seed: 5);
        using var ours = new SuperResolutionCorruption().Degrade(x);
        var reference = PyTorchReference.Call("sr", new Dictionary<string, Tensor> { ["images"] = x }, new { factor = 8 });
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1e-5, "SR ×8");
    }

    [PyTorchFact]
    public void BlurMatchesADirect2DCorrelationWithReflect101Borders()
    {
        using var x = TestImages.Natural(4, 40, seed: 6);
        int[] sizes = { 7, 13, 21, 9 };
        using var ours = new GaussianBlurCorruption().Blur(x, sizes);
        var reference = PyTorchReference.Call("blur", new Dictionary<string, Tensor> { ["images"] = x }, new { kernel_sizes = sizes, sigma = 5.0 });
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1e-5, "Gaussian blur σ = 5");
    }
}
