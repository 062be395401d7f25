using Folk.Lab.Corruptions.Common;
using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>
/// The blur family against ImageNet-C's own code (reference/python/imagenet_c_blur.py, restating hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c> and <c>make_cifar_c.py</c> with scipy, scikit-image, OpenCV and
/// ImageMagick), against the published constants restated here, and for what blur must do to a spectrum.
/// </summary>
public class BlurCorruptionsTests
{
    public static TheoryData<int, int> SidesAndSeverities()
    {
        var data = new TheoryData<int, int>();
        foreach (var side in new[] { 224, 32 })
            for (int severity = 1; severity <= 5; severity++) data.Add(side, severity);
        return data;
    }

    static CorruptionConstants Table(int side) => CommonCorruptions.ConstantsFor(side);

    /// <summary>Two dead-leaves images at 32², one at 224² (the reference's glass blur loops in Python).</summary>
    static Tensor Images(int side, long seed = 11) => TestImages.Natural(side == 224 ? 1 : 2, side, seed);

    static Tensor Reference(string name, Dictionary<string, Tensor> inputs, object parameters) =>
        PyTorchReference.Call("imagenet_c/blur/" + name, inputs, parameters)["out"];

    static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs();
        double worst = difference.max().item<double>();
        Assert.True(worst <= tolerance, $"{what}: max |Δ| = {worst:g4} > {tolerance:g3}.");
    }

    /// <summary>One float32 ulp just below 1 (2⁻²⁴): the reference answers in float64, Folk.Lab in float32.</summary>
    const double Float32Ulp = 5.96e-8;

    // Defocus and zoom blur are deterministic: equal to the published computation up to float rounding. Defocus runs
    // in float64 like the original; its float32 kernel is smoothed by OpenCV's GaussianBlur there and by conv2d here
    // (summation order: an ulp of a kernel weight), plus the final float32 cast: measured ≤ 1.2e-7 (2 ulps).
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void DefocusBlurMatchesImageNetC(int side, int severity)
    {
        using var x = Images(side);
        using var ours = BlurCorruptions.DefocusBlur(x, severity, Table(side));
        using var theirs = Reference("defocus_blur", new() { ["images"] = x }, new { severity });
        AssertClose(theirs, ours, 4 * Float32Ulp, $"defocus blur {side}² severity {severity}");
    }

    // Zoom blur is float32 in the original too: scipy interpolates in float64 and rounds each zoom to float32, as
    // LinearZoom does; the two sum the bilinear products in different orders, which can round a zoom one float32 ulp
    // apart: measured 0 on CIFAR-10-C, ≤ 1.2e-7 (2 ulps) on ImageNet-C.
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void ZoomBlurMatchesImageNetC(int side, int severity)
    {
        using var x = Images(side);
        using var ours = BlurCorruptions.ZoomBlur(x, severity, Table(side));
        using var theirs = Reference("zoom_blur", new() { ["images"] = x }, new { severity });
        AssertClose(theirs, ours, 4 * Float32Ulp, $"zoom blur {side}² severity {severity}");
    }

    // Given the same shuffle offsets, glass blur is deterministic, and both Gaussians are computed in scipy's own
    // arithmetic, so the 8-bit truncation sees the same float64 values: only the final float32 cast differs
    // (measured 2.98e-8).
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void GlassBlurMatchesImageNetCGivenTheSameOffsets(int side, int severity)
    {
        using var x = Images(side);
        var (_, delta, iterations) = BlurCorruptions.GlassShuffle[severity, Table(side)];
        using var g = new Generator(5);
        using var offsets = LocalPixelShuffle.SampleOffsets(x.shape[0], side, delta, iterations, g);
        using var ours = BlurCorruptions.GlassBlur(x, severity, Table(side), offsets);
        using var theirs = Reference("glass_blur", new() { ["images"] = x, ["offsets"] = offsets }, new { severity });
        AssertClose(theirs, ours, Float32Ulp, $"glass blur {side}² severity {severity}");
    }

    // ImageNet-C runs ImageMagick on 8-bit PNGs and reads 8-bit PNGs back; Folk.Lab returns the blur unrounded. Brought
    // to 8 bits by ImageMagick's own two steps (MagickMotionBlur.EightBit) it must equal ImageNet-C's output level for
    // level (same taps, offsets, edge and rounding), ties at 16-bit half steps aside (MagickMotionBlurTests.
    // AssertSameLevels): the corruption takes float32 images, whose k/255 are off by up to 2⁻²⁴ relative, 0.004 of a
    // 16-bit step, so that is the window. Unrounded, it lies up to one level above: the PNG coder truncates.
    [ImageNetCReferenceTheory]
    [MemberData(nameof(SidesAndSeverities))]
    public void MotionBlurMatchesImageMagickLevelForLevel(int side, int severity)
    {
        using var x = (Images(side, seed: 12) * 255).round() / 255;
        using var g = new Generator((ulong)(side + severity));
        var angles = BlurCorruptions.UniformAngles(x.shape[0], -45, 45, g);
        using var ours = BlurCorruptions.MotionBlur(x, severity, Table(side), angles);
        using var theirs = Reference("motion_blur", new() { ["images"] = x, ["angles"] = tensor(angles) }, new { severity });
        MagickMotionBlurTests.AssertSameLevels(theirs, ours, 0.005, $"motion blur {side}² severity {severity}");
        AssertClose(theirs, ours, 1.0 / 255, $"motion blur {side}² severity {severity}, unrounded");
    }

    // The restated constants, through behaviour that exposes them.

    [Fact]
    public void DefocusSeverityOneOnImageNetIsTheDiskOfRadiusThree()
    {
        // c = (3, 0.1): x² + y² ≤ 9 holds at 29 grid points; σ = 0.1 leaves the disk as it is (neighbour weight e^−50)
        using var impulse = zeros(1, 3, 224, 224);
        impulse[TensorIndex.Colon, TensorIndex.Colon, 112, 112] = tensor(1f);
        using var response = BlurCorruptions.DefocusBlur(impulse, 1, CorruptionConstants.ImageNet224);
        for (int dy = -5; dy <= 5; dy++)
            for (int dx = -5; dx <= 5; dx++)
                Assert.Equal(dx * dx + dy * dy <= 9 ? 1.0 / 29 : 0.0, response[0, 1, 112 + dy, 112 + dx].item<float>(), 7);
    }

    // The kernel reaches one pixel (two above r = 8) beyond the disk, and sums to 1 unless the disk touches the grid's
    // edge (r = 8 on −8…8, r = 10 on −10…10), where OpenCV's reflect-101 border counts the inner neighbour twice.
    [Theory]
    [MemberData(nameof(SidesAndSeverities))]
    public void DefocusKernelReachesOnePixelBeyondTheDiskAndIsNormalisedInside(int side, int severity)
    {
        var (radius, aliasBlur) = BlurCorruptions.DefocusDisk[severity, Table(side)];
        using var kernel = DefocusKernel.Create(radius, aliasBlur);
        long reach = kernel.shape[0] / 2;
        Assert.Equal(radius <= 8 ? 8 : (long)radius, reach);
        if (radius < 8) Assert.True(Math.Abs(kernel.sum().item<float>() - 1) < 1e-6, $"r = {radius}: sum {kernel.sum().item<float>()}");
        else Assert.InRange(kernel.sum().item<float>(), 1.005, 1.02);
        int spread = radius <= 8 ? 1 : 2;
        for (long y = -reach; y <= reach; y++)
            for (long x = -reach; x <= reach; x++)
            {
                bool near = Enumerable.Range(-spread, 2 * spread + 1).Any(a => Enumerable.Range(-spread, 2 * spread + 1)
                    .Any(b => (x + a) * (x + a) + (y + b) * (y + b) <= radius * radius));
                float value = kernel[y + reach, x + reach].item<float>();
                Assert.True(near ? value > 0 : value == 0, $"r = {radius}: kernel[{y}, {x}] = {value}");
            }
    }

    [Fact]
    public void ZoomFactorsAreNumpysAranges()
    {
        // np.arange(1, 1.11, 0.01) has twelve values (1.00 … 1.11): its length is ⌈0.11000000000000010 / 0.01⌉
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 1 + 0.01 * i), BlurCorruptions.ZoomFactors(1, CorruptionConstants.ImageNet224), new Near(1e-12));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => 1 + 0.01 * i), BlurCorruptions.ZoomFactors(2, CorruptionConstants.ImageNet224), new Near(1e-12));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => 1 + 0.02 * i), BlurCorruptions.ZoomFactors(3, CorruptionConstants.ImageNet224), new Near(1e-12));
        Assert.Equal(Enumerable.Range(0, 13).Select(i => 1 + 0.02 * i), BlurCorruptions.ZoomFactors(4, CorruptionConstants.ImageNet224), new Near(1e-12));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => 1 + 0.03 * i), BlurCorruptions.ZoomFactors(5, CorruptionConstants.ImageNet224), new Near(1e-12));
        int[] cifar = [7, 12, 16, 21, 26];
        for (int s = 1; s <= 5; s++)
            Assert.Equal(Enumerable.Range(0, cifar[s - 1]).Select(i => 1 + 0.01 * i), BlurCorruptions.ZoomFactors(s, CorruptionConstants.Cifar32), new Near(1e-12));
    }

    [Fact]
    public void MotionKernelIsImageMagicksOneSidedGaussian()
    {
        Assert.Equal(21, MagickMotionBlur.Width(10));
        Assert.Equal(41, MagickMotionBlur.Width(20));
        var weights = MagickMotionBlur.Weights(21, 3);
        Assert.Equal(1.0, weights.Sum(), 12);
        for (int i = 0; i < 21; i++) Assert.Equal(Math.Exp(-i * i / 18.0), weights[i] / weights[0], 12);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (i, 0)), MagickMotionBlur.Offsets(21, 0));
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (0, i)), MagickMotionBlur.Offsets(21, 90));
        // at 45° both steps are i/√2 rounded half down: 0 0 1 2 2 3 4 …
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (int)Math.Ceiling(i / Math.Sqrt(2) - 0.5)), MagickMotionBlur.Offsets(21, 45).Select(o => o.Dx));
    }

    // What blur does to a spectrum: every severity of every blur takes energy out of the high frequencies (the share
    // beyond a quarter of the sampling rate falls below the clean image's), and severity 5 takes out more than
    // severity 1. Between neighbouring severities the published constants do not always grow the blur: zoom blur's
    // severity 3 averages 11 zooms (up to 1.20) where severity 2 averages 16 (up to 1.15), and CIFAR-10-C's motion blur
    // at severities 3 and 4 differs only in taps whose weight is e^−21; so strict monotonicity is asserted only where
    // the constants imply it: defocus (the disk or its smoothing grows) and ImageNet-C's motion blur (σ grows).
    // CIFAR-10-C's glass blur is left out: its σ of 0.05–0.4 (one to five taps, the outer ones weighing e^−8 at
    // σ = 0.25) barely blurs, and the shuffle adds more fine detail than that takes away (measured: severities 1 and 2
    // raise the share from 0.055 to 0.063).
    [Theory]
    [InlineData(224)]
    [InlineData(32)]
    public void BlursLowerHighFrequencyEnergy(int side)
    {
        using var x = TestImages.Natural(2, side, seed: 21);
        double Share(Tensor images) { using var f = BandEnergy.Fractions(images, [side / 4.0]); return f[TensorIndex.Colon, 1].mean().item<double>(); }
        double clean = Share(x);
        foreach (var corruption in new[] { CommonCorruption.DefocusBlur, CommonCorruption.GlassBlur, CommonCorruption.MotionBlur, CommonCorruption.ZoomBlur })
        {
            bool strict = corruption == CommonCorruption.DefocusBlur || (corruption == CommonCorruption.MotionBlur && side == 224);
            var shares = new double[6];
            shares[0] = clean;
            for (int severity = 1; severity <= 5; severity++)
            {
                if (corruption == CommonCorruption.GlassBlur && side == 32) continue;
                using var y = corruption == CommonCorruption.MotionBlur
                    ? BlurCorruptions.MotionBlur(x, severity, Table(side), [30.0, 30.0])
                    : CommonCorruptions.Apply(corruption, x, severity, new Generator(1));
                shares[severity] = Share(y);
                Assert.True(shares[severity] < clean, $"{corruption.Name()} {side}² severity {severity}: high-frequency share {shares[severity]:g4} ≥ clean {clean:g4}.");
                if (strict && severity > 1)
                    Assert.True(shares[severity] < shares[severity - 1], $"{corruption.Name()} {side}² severity {severity}: {shares[severity]:g4} ≥ {shares[severity - 1]:g4} (severity {severity - 1}).");
            }
            if (corruption != CommonCorruption.GlassBlur || side != 32)
                Assert.True(shares[5] < shares[1], $"{corruption.Name()} {side}²: severity 5 keeps {shares[5]:g4} ≥ severity 1's {shares[1]:g4}.");
        }
    }

    [Fact]
    public void RandomBlursDrawFromTheGeneratorAlone()
    {
        using var x = Images(32);
        foreach (var corruption in new[] { CommonCorruption.GlassBlur, CommonCorruption.MotionBlur })
        {
            Tensor Run(ulong seed) { using var g = new Generator(seed); return CommonCorruptions.Apply(corruption, x, 3, g); }
            using var a = Run(7);
            using var b = Run(7);
            using var c = Run(8);
            TensorAssert.Equal(a, b, $"{corruption.Name()}, same seed");
            Assert.True(a.ne(c).any().item<bool>(), $"{corruption.Name()}: another seed changed nothing");
        }
    }

    sealed class Near(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
