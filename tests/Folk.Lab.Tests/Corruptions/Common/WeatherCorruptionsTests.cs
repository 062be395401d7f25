using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>
/// The weather family against ImageNet-C's own code (reference/python/imagenet_c_weather.py, restating
/// hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c> and <c>make_cifar_c.py</c>), against the
/// published constants restated here, and for the statistics each severity must move.
/// </summary>
public class WeatherCorruptionsTests
{
    public static TheoryData<int, int> SidesAndSeverities() => BlurCorruptionsTests.SidesAndSeverities();

    static CorruptionConstants Table(int side) => CommonCorruptions.ConstantsFor(side);

    static Tensor Images(int side, long seed = 31) => TestImages.Natural(2, side, seed);

    static Tensor Reference(string name, Dictionary<string, Tensor> inputs, object parameters) =>
        PyTorchReference.Call("imagenet_c/weather/" + name, inputs, parameters)["out"];

    /// <summary>One float32 ulp just below 1 (2⁻²⁴): the reference answers in float64, Folk.Lab in float32, so a computation
    /// that is float64 in both differs by the final cast alone, at most half of this.</summary>
    const double Float32Cast = 5.96e-8;

    static double MaxDifference(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs();
        return difference.max().item<double>();
    }

    // Brightness is deterministic and float64 in both: only the final float32 cast differs (measured 2.98e-8).
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void BrightnessMatchesImageNetC(int side, int severity)
    {
        using var x = Images(side);
        using var ours = WeatherCorruptions.Brightness(x, severity, Table(side));
        using var theirs = Reference("brightness", new() { ["images"] = x }, new { severity });
        Assert.True(MaxDifference(theirs, ours) <= Float32Cast, $"brightness {side}² severity {severity}: max |Δ| = {MaxDifference(theirs, ours):g4}.");
    }

    // Given the same plasma map, fog is float64 arithmetic in the original's order: the float32 cast only (measured
    // 2.98e-8).
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void FogMatchesImageNetCGivenTheSamePlasma(int side, int severity)
    {
        using var x = Images(side);
        using var g = new Generator(3);
        using var plasma = PlasmaFractal.Sample(x.shape[0], WeatherCorruptions.FogMapSize(Table(side)), WeatherCorruptions.FogHaze[severity, Table(side)].Decay, g);
        using var ours = WeatherCorruptions.Fog(x, severity, Table(side), plasma);
        using var theirs = Reference("fog", new() { ["images"] = x, ["plasma"] = plasma }, new { severity });
        Assert.True(MaxDifference(theirs, ours) <= Float32Cast, $"fog {side}² severity {severity}: max |Δ| = {MaxDifference(theirs, ours):g4}.");
    }

    // Frost's blend with the published weights, given the same texture (the original works on 0…255: float64 rounding,
    // then the float32 cast; measured 2.98e-8).
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void FrostBlendMatchesImageNetCGivenTheSameTexture(int side, int severity)
    {
        using var x = Images(side);
        using var g = new Generator(4);
        using var frost = FrostTexture.Sample(x.shape[0], Table(side), g);
        using var ours = WeatherCorruptions.Frost(x, severity, Table(side), frost);
        using var theirs = Reference("frost", new() { ["images"] = x, ["frost"] = frost }, new { severity });
        Assert.True(MaxDifference(theirs, ours) <= Float32Cast, $"frost {side}² severity {severity}: max |Δ| = {MaxDifference(theirs, ours):g4}.");
    }

    // Snow, given the same normals and angles, runs its layer through PIL, PNG and ImageMagick in the original.
    // Folk.Lab reproduces the layer's 8-bit steps (the truncation before the blur, ImageMagick's rounding and
    // truncation after it), so the layers agree level for level: a flipped level would show as 1/255. The image part
    // is float32 in both, with OpenCV's grey summed in its own order: a few float32 ulps (measured ≤ 1.4e-7).
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void SnowMatchesImageNetCGivenTheSameDraws(int side, int severity)
    {
        using var x = Images(side);
        using var g = new Generator(6);
        using var normals = randn(new long[] { x.shape[0], side, side }, dtype: ScalarType.Float64, generator: g);
        double[] angles = [-100.0, -57.5];
        using var ours = WeatherCorruptions.Snow(x, severity, Table(side), normals, angles);
        using var theirs = Reference("snow", new() { ["images"] = x, ["normals"] = normals, ["angles"] = tensor(angles) }, new { severity });
        Assert.True(MaxDifference(theirs, ours) <= 4 * Float32Cast, $"snow {side}² severity {severity}: max |Δ| = {MaxDifference(theirs, ours):g4}.");
    }

    // The restated constants, through behaviour that exposes them.

    [Theory]
    [InlineData(224, new[] { 0.1, 0.2, 0.3, 0.4, 0.5 })]
    [InlineData(32, new[] { 0.05, 0.1, 0.15, 0.2, 0.3 })]
    public void BrightnessRaisesGreyByThePublishedShift(int side, double[] shifts)
    {
        // a grey pixel has saturation 0, so HSV's value is the grey level and the result is grey + c, clipped at 1
        using var levels = linspace(0, 1, side * side, dtype: ScalarType.Float64).reshape(1, 1, side, side);
        using var grey = levels.repeat(1, 3, 1, 1).to(ScalarType.Float32);
        for (int severity = 1; severity <= 5; severity++)
        {
            using var raised = WeatherCorruptions.Brightness(grey, severity, Table(side));
            using var expected = (grey.to(ScalarType.Float64) + shifts[severity - 1]).clamp(0, 1);
            Assert.True(MaxDifference(expected, raised) <= 1e-7, $"brightness {side}² severity {severity}");
        }
    }

    [Theory]
    [InlineData(224, new[] { 1.5, 2, 2.5, 2.5, 3 })]
    [InlineData(32, new[] { 0.2, 0.5, 0.75, 1, 1.5 })]
    public void FogWithAFlatMapScalesTheImageByMaxOverMaxPlusStrength(int side, double[] strengths)
    {
        using var x = Images(side) * 0.5;
        using var flat = zeros(new long[] { 2, side, side }, dtype: ScalarType.Float64);
        using var max = x.amax(new long[] { 1, 2, 3 }, keepdim: true).to(ScalarType.Float64);
        for (int severity = 1; severity <= 5; severity++)
        {
            using var fogged = WeatherCorruptions.Fog(x, severity, Table(side), flat);
            using var expected = x.to(ScalarType.Float64) * max / (max + strengths[severity - 1]);
            Assert.True(MaxDifference(expected, fogged) <= 1e-7, $"fog {side}² severity {severity}");
        }
    }

    [Theory]
    [InlineData(224, new[] { 1.0, 0.8, 0.7, 0.65, 0.6 }, new[] { 0.4, 0.6, 0.7, 0.7, 0.75 })]
    [InlineData(32, new[] { 1.0, 1, 0.9, 0.85, 0.75 }, new[] { 0.2, 0.3, 0.4, 0.4, 0.45 })]
    public void FrostBlendsWithThePublishedWeights(int side, double[] imageWeights, double[] frostWeights)
    {
        using var x = Images(side) * 0.3;
        using var frost = full(x.shape, 0.5f);
        for (int severity = 1; severity <= 5; severity++)
        {
            using var blended = WeatherCorruptions.Frost(x, severity, Table(side), frost);
            using var expected = (x.to(ScalarType.Float64) * imageWeights[severity - 1] + 0.5 * frostWeights[severity - 1]).clamp(0, 1);
            Assert.True(MaxDifference(expected, blended) <= 1e-7, $"frost {side}² severity {severity}");
        }
    }

    // Statistics each severity must move, over the full random corruptions.

    [Theory]
    [InlineData(224)]
    [InlineData(32)]
    public void BrightnessRaisesTheMeanWithEverySeverity(int side)
    {
        using var x = Images(side, seed: 41);
        double previous = x.mean().item<float>();
        for (int severity = 1; severity <= 5; severity++)
        {
            using var bright = CommonCorruptions.Apply(CommonCorruption.Brightness, x, severity, new Generator(1));
            double mean = bright.mean().item<float>();
            Assert.True(mean > previous, $"brightness {side}² severity {severity}: mean {mean:g4} ≤ {previous:g4}.");
            previous = mean;
        }
    }

    // Fog and frost drown the image: what is left of it, measured as the correlation of the result with the clean
    // image (mean over images), falls with every severity. One seed, so each severity sees the same draws.
    [Theory]
    [InlineData(CommonCorruption.Fog, 224)]
    [InlineData(CommonCorruption.Fog, 32)]
    [InlineData(CommonCorruption.Frost, 224)]
    [InlineData(CommonCorruption.Frost, 32)]
    public void FogAndFrostKeepLessOfTheImageWithEverySeverity(CommonCorruption corruption, int side)
    {
        using var x = Images(side, seed: 42);
        double previous = 1;
        for (int severity = 1; severity <= 5; severity++)
        {
            using var y = CommonCorruptions.Apply(corruption, x, severity, new Generator(1));
            double kept = Correlation(x, y);
            Assert.True(kept < previous, $"{corruption.Name()} {side}² severity {severity}: correlation with the clean image {kept:g4} ≥ {previous:g4}.");
            previous = kept;
        }
    }

    /// <summary>Pearson correlation of each image with its corrupted version, averaged over the batch.</summary>
    static double Correlation(Tensor clean, Tensor corrupted)
    {
        using var scope = NewDisposeScope();
        var a = clean.to(ScalarType.Float64).flatten(1);
        var b = corrupted.to(ScalarType.Float64).flatten(1);
        a = a - a.mean(new long[] { 1 }, keepdim: true);
        b = b - b.mean(new long[] { 1 }, keepdim: true);
        var r = (a * b).sum(1) / ((a * a).sum(1) * (b * b).sum(1)).sqrt();
        return r.mean().item<double>();
    }

    [Theory]
    [InlineData(224)]
    [InlineData(32)]
    public void SnowBrightensTheImageMoreWithEverySeverity(int side)
    {
        using var x = Images(side, seed: 43) * 0.5;
        double previous = x.mean().item<float>();
        for (int severity = 1; severity <= 5; severity++)
        {
            using var snowed = CommonCorruptions.Apply(CommonCorruption.Snow, x, severity, new Generator(2));
            double mean = snowed.mean().item<float>();
            Assert.True(mean > previous, $"snow {side}² severity {severity}: mean {mean:g4} ≤ {previous:g4}.");
            previous = mean;
        }
    }
}
