using Folk.Lab.Data;
using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Frequency;

public class RadialProfileTests
{
    /// <summary>Gaussian noise shaped to |X(f)| ∝ f^(−α/2) has an expected radial power f^−α.</summary>
    static Tensor PowerLawNoise(int count, int n, double alpha, long seed)
    {
        using var scope = NewDisposeScope();
        var white = TestImages.Normal(new long[] { count, 1, n, n }, seed);
        var radius = FrequencyGrid.Radius(n, n).clamp_min(1.0);
        var amplitude = fft.ifftshift(radius.pow(-alpha / 2), new long[] { -2, -1 });
        return fft.ifft2(fft.fft2(white) * amplitude).real.MoveToOuterDisposeScope();
    }

    [Theory]
    [InlineData(2.0)] [InlineData(1.0)] [InlineData(3.0)]
    public void FitRecoversTheExponentOfPowerLawNoise(double alpha)
    {
        using var x = PowerLawNoise(8, 128, alpha, seed: 11);
        var fit = RadialProfile.Compute(x).FitPowerLaw(minRadius: 2);
        Assert.InRange(fit.Slope, -alpha - 0.05, -alpha + 0.05);
        Assert.True(fit.RSquared > 0.98, $"R² = {fit.RSquared}");
    }

    [Fact]
    public void DeadLeavesHaveANaturalImageSpectrum()
    {
        using var g = new Generator(5);
        using var x = DeadLeaves.Generate(8, 128, g);
        var fit = RadialProfile.Compute(x).FitPowerLaw(minRadius: 2, maxRadius: 48);
        Assert.InRange(fit.Slope, -3.0, -1.6);   // natural images: ≈ −2 (van der Schaaf & van Hateren: 1.88 ± 0.43)
    }

    [Fact]
    public void ConstantImagePutsAllPowerInRingZero()
    {
        using var x = full(new long[] { 1, 3, 16, 16 }, 0.5f);
        var profile = RadialProfile.Compute(x);
        Assert.Equal(1, profile.Counts[0]);
        Assert.Equal(0.25 * 256, profile.Power[0][0], 4);           // DC² = (√(HW)·mean)², ortho
        Assert.All(profile.Power[0].Skip(1), p => Assert.True(p < 1e-10));
        Assert.Equal(Enumerable.Range(0, 8).Select(r => (double)r), profile.Radii);
    }

    [Fact]
    public void RingCountsCoverTheInscribedDisc()
    {
        using var x = TestImages.Uniform(new long[] { 1, 1, 64, 64 });
        var profile = RadialProfile.Compute(x);
        using var d = FrequencyGrid.Radius(64, 64);
        long inside = d.add(0.5).floor().lt(32).sum().item<long>();
        Assert.Equal(inside, profile.Counts.Sum());
        Assert.Equal(8, profile.Counts[1]);     // d = 1 (four points) and d = √2 (four more) round to ring 1
    }

    [Fact]
    public void NonSquareImagesAreRefused()
    {
        using var x = zeros(1, 3, 16, 12);
        var e = Assert.Throws<ArgumentException>(() => RadialProfile.Compute(x));
        Assert.Contains("square", e.Message);
        Assert.Contains("16×12", e.Message);
    }

    [PyTorchFact]
    public void MatchesARingByRingComputationInPyTorch()
    {
        using var x = TestImages.Natural(3, 48);
        var ours = RadialProfile.Compute(x);
        var reference = PyTorchReference.Call("radial_profile", new Dictionary<string, Tensor> { ["images"] = x });
        using var mine = tensor(ours.Power.SelectMany(r => r).ToArray(), new long[] { 3, 24 }, ScalarType.Float64);
        TensorAssert.CloseRelativeToMax(reference["power"], mine, 1e-5, "radial power");
    }
}
