using Folk.Lab.Corruptions.Common;
using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

public class NoiseCorruptionsTests
{
    public static TheoryData<int, int> SeveritiesAndSides()
    {
        var data = new TheoryData<int, int>();
        foreach (var side in new[] { 224, 32 })
            for (int s = 1; s <= 5; s++) data.Add(s, side);
        return data;
    }

    static CorruptionConstants Table(int side) => side == 224 ? CorruptionConstants.ImageNet224 : CorruptionConstants.Cifar32;

    static Dictionary<string, Tensor> Call(string name, Dictionary<string, Tensor> inputs, object parameters) =>
        PyTorchReference.Call($"imagenet_c/noise/{name}", inputs, parameters);

    [Fact]
    public void TablesHoldThePublishedConstants()
    {
        // hendrycks/robustness make_imagenet_c.py and make_cifar_c.py
        Assert.Equal(new[] { .08, .12, 0.18, 0.26, 0.38 }, NoiseCorruptions.GaussianSigma.For(CorruptionConstants.ImageNet224));
        Assert.Equal(new[] { 0.04, 0.06, .08, .09, .10 }, NoiseCorruptions.GaussianSigma.For(CorruptionConstants.Cifar32));
        Assert.Equal(new double[] { 60, 25, 12, 5, 3 }, NoiseCorruptions.ShotPhotons.For(CorruptionConstants.ImageNet224));
        Assert.Equal(new double[] { 500, 250, 100, 75, 50 }, NoiseCorruptions.ShotPhotons.For(CorruptionConstants.Cifar32));
        Assert.Equal(new[] { .03, .06, .09, 0.17, 0.27 }, NoiseCorruptions.ImpulseAmount.For(CorruptionConstants.ImageNet224));
        Assert.Equal(new[] { .01, .02, .03, .05, .07 }, NoiseCorruptions.ImpulseAmount.For(CorruptionConstants.Cifar32));
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(SeveritiesAndSides))]
    public void GaussianAndShotNoiseMatchTheOriginalGivenTheSameDraws(int severity, int side)
    {
        using var x = TestImages.Natural(2, side, seed: severity);
        using var g = new Generator((ulong)(100 + severity));
        using var z = randn(x.shape, generator: g);
        using var ours = NoiseCorruptions.Gaussian(x, z, NoiseCorruptions.GaussianSigma[severity, Table(side)]);
        var reference = Call("gaussian_noise", new() { ["images"] = x, ["noise"] = z }, new { severity });
        // the original adds in float64, Folk.Lab in float32: one float32 rounding of values in [0,1]
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 2e-7, $"gaussian_noise s{severity} at {side}²");

        double c = NoiseCorruptions.ShotPhotons[severity, Table(side)];
        using var counts = poisson(x.to(ScalarType.Float64) * c, g);
        using var shot = NoiseCorruptions.Shot(counts, c);
        reference = Call("shot_noise", new() { ["images"] = x, ["counts"] = counts }, new { severity });
        TensorAssert.Equal(reference["out"], shot, $"shot_noise s{severity} at {side}² (both divide in float64)");
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(SeveritiesAndSides))]
    public void ImpulseNoiseEqualsSkimageGivenTheDrawsSkimageMade(int severity, int side)
    {
        using var x = TestImages.Natural(2, side, seed: severity);
        // skimage.util.random_noise itself, seeded; the reference returns the two uniform arrays its generator made
        var reference = Call("impulse_noise_skimage", new() { ["images"] = x }, new { severity, seed = 40 + severity });
        using var ours = NoiseCorruptions.Impulse(x, reference["replace"], reference["salt"], NoiseCorruptions.ImpulseAmount[severity, Table(side)]);
        TensorAssert.Equal(reference["out"], ours, $"impulse_noise s{severity} at {side}²");
        var restated = Call("impulse_noise", new() { ["images"] = x, ["replace"] = reference["replace"], ["salt"] = reference["salt"] }, new { severity });
        TensorAssert.Equal(reference["out"], restated["out"], "the reference's restatement of skimage");
    }

    [Theory]
    [InlineData(CommonCorruption.GaussianNoise)]
    [InlineData(CommonCorruption.ShotNoise)]
    [InlineData(CommonCorruption.ImpulseNoise)]
    public void ApplyDrawsFromTheGeneratorAndCallsTheCore(CommonCorruption corruption)
    {
        using var x = TestImages.Natural(3, 32, seed: 5);
        using var g1 = new Generator(9);
        using var applied = CommonCorruptions.Apply(corruption, x, 4, g1);
        using var g2 = new Generator(9);
        using var expected = corruption switch
        {
            CommonCorruption.GaussianNoise => NoiseCorruptions.Gaussian(x, randn(x.shape, generator: g2), 0.09),
            CommonCorruption.ShotNoise => NoiseCorruptions.Shot(poisson(x.to(ScalarType.Float64) * 75, g2), 75),
            _ => NoiseCorruptions.Impulse(x, rand(x.shape, dtype: ScalarType.Float64, generator: g2), rand(x.shape, dtype: ScalarType.Float64, generator: g2), 0.05),
        };
        TensorAssert.Equal(expected, applied, corruption.Name());
    }

    /// <summary>E[Y] and Var[Y] of Y = clip(μ + σZ, 0, 1), Z standard normal, by Simpson's rule on ±10σ.</summary>
    static (double Mean, double Variance) ClippedNormal(double mu, double sigma)
    {
        const int steps = 20_000;
        double lo = -10, step = 20.0 / steps, m1 = 0, m2 = 0;
        for (int i = 0; i <= steps; i++)
        {
            double z = lo + i * step, weight = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            double density = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI), y = Math.Clamp(mu + sigma * z, 0, 1);
            m1 += weight * density * y;
            m2 += weight * density * y * y;
        }
        m1 *= step / 3; m2 *= step / 3;
        return (m1, m2 - m1 * m1);
    }

    [Fact]
    public void GaussianNoiseHasTheVarianceOfAClippedNormalWithThePublishedSigma()
    {
        using var grey = full(new long[] { 4, 3, 224, 224 }, 0.3f);              // 602,112 values
        for (int s = 1; s <= 5; s++)
        {
            using var g = new Generator((ulong)s);
            using var y = CommonCorruptions.Apply(CommonCorruption.GaussianNoise, grey, s, g);
            var (mean, variance) = ClippedNormal(0.3, NoiseCorruptions.GaussianSigma[s, CorruptionConstants.ImageNet224]);
            // standard error of a variance from 6·10⁵ samples is about 0.2 % of it
            TensorAssert.CloseRelative(variance, y.to(ScalarType.Float64).var().item<double>(), 0.01, $"variance at severity {s}");
            Assert.InRange(y.to(ScalarType.Float64).mean().item<double>(), mean - 0.002, mean + 0.002);
        }
    }

    [Fact]
    public void ShotNoiseHasTheMomentsOfAClippedScaledPoisson()
    {
        using var grey = full(new long[] { 4, 3, 224, 224 }, 0.5f);
        for (int s = 1; s <= 5; s++)
        {
            double c = NoiseCorruptions.ShotPhotons[s, CorruptionConstants.ImageNet224], rate = 0.5 * c;
            double m1 = 0, m2 = 0, p = Math.Exp(-rate);                           // P(k = 0), then the recurrence
            for (int k = 0; k < 400; k++, p *= rate / k)
            {
                double y = Math.Min(k / c, 1);
                m1 += p * y;
                m2 += p * y * y;
            }
            using var g = new Generator((ulong)s);
            using var y32 = CommonCorruptions.Apply(CommonCorruption.ShotNoise, grey, s, g);
            using var y64 = y32.to(ScalarType.Float64);
            TensorAssert.CloseRelative(m2 - m1 * m1, y64.var().item<double>(), 0.015, $"variance at severity {s} (c = {c})");
            TensorAssert.CloseRelative(m1, y64.mean().item<double>(), 0.005, $"mean at severity {s}");
        }
    }

    [Fact]
    public void ImpulseNoiseReplacesThePublishedFractionHalfWithSaltHalfWithPepper()
    {
        using var grey = full(new long[] { 4, 3, 224, 224 }, 0.5f);
        long n = grey.numel();
        for (int s = 1; s <= 5; s++)
        {
            double p = NoiseCorruptions.ImpulseAmount[s, CorruptionConstants.ImageNet224];
            using var g = new Generator((ulong)s);
            using var y = CommonCorruptions.Apply(CommonCorruption.ImpulseNoise, grey, s, g);
            double salt = y.eq(1f).sum().item<long>() / (double)n, pepper = y.eq(0f).sum().item<long>() / (double)n;
            double tolerance = 5 * Math.Sqrt(p / 2 * (1 - p / 2) / n);               // five binomial standard errors
            Assert.InRange(salt, p / 2 - tolerance, p / 2 + tolerance);
            Assert.InRange(pepper, p / 2 - tolerance, p / 2 + tolerance);
            Assert.Equal(n, y.eq(1f).sum().item<long>() + y.eq(0f).sum().item<long>() + y.eq(0.5f).sum().item<long>());
        }
    }

    [Theory]
    [InlineData(CommonCorruption.GaussianNoise, 224)]
    [InlineData(CommonCorruption.ShotNoise, 224)]
    [InlineData(CommonCorruption.ImpulseNoise, 224)]
    [InlineData(CommonCorruption.GaussianNoise, 32)]
    [InlineData(CommonCorruption.ShotNoise, 32)]
    [InlineData(CommonCorruption.ImpulseNoise, 32)]
    public void NoiseRaisesHighFrequencyEnergyWithEverySeverity(CommonCorruption corruption, int side)
    {
        using var x = TestImages.Natural(side == 224 ? 2 : 16, side, seed: 3);
        double Share(Tensor images)
        {
            using var bands = BandEnergy.Fractions(images, new[] { side / 4.0 });   // above a quarter of the sampling rate
            return bands[.., 1].mean().item<double>();
        }
        double previous = Share(x);
        for (int s = 1; s <= 5; s++)
        {
            using var g = new Generator(21);                                        // the same draws at every severity
            using var y = CommonCorruptions.Apply(corruption, x, s, g);
            double share = Share(y);
            Assert.True(share > previous, $"{corruption.Name()} at {side}²: severity {s} has high-frequency share {share:g4}, not above {previous:g4}");
            previous = share;
        }
    }
}
