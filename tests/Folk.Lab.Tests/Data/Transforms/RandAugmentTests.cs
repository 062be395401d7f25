using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

public class RandAugmentTests
{
    static readonly (int R, int G, int B) Fill = (124, 116, 104);

    static Tensor Image(int h = 24, int w = 28, long seed = 9)
    {
        using var x = TestImages.Uniform(new long[] { 3, h, w }, seed);
        return (x * 255).round_().div_(255);
    }

    static bool OnGrid(Tensor image)
    {
        using var levels = image.to(ScalarType.Float64) * 255;
        using var error = (levels - levels.round()).abs().max();
        return error.item<double>() < 1e-3;
    }

    [Fact]
    public void DefaultsAreTimmsRandM9Mstd05Inc1()
    {
        var o = new RandAugmentOptions();
        Assert.Equal((2, 9.0, 0.5, 0.5), (o.Layers, o.Magnitude, o.MagnitudeStd, o.Probability));
        Assert.Equal((124, 116, 104), o.Fill);
        Assert.Equal(0.45, o.TranslateFraction);
        Assert.Equal(AffineInterpolation.Bicubic, o.Interpolation);
        // timm _RAND_INCREASING_TRANSFORMS, in its order; no op of the standard set is in it.
        Assert.Equal(new[]
        {
            "AutoContrast", "Equalize", "Invert", "Rotate", "PosterizeIncreasing", "SolarizeIncreasing", "SolarizeAdd",
            "ColorIncreasing", "ContrastIncreasing", "BrightnessIncreasing", "SharpnessIncreasing", "ShearX", "ShearY",
            "TranslateXRel", "TranslateYRel",
        }, o.Ops.Select(op => op.ToString()));
        Assert.Equal(15, RandAugmentOptions.StandardOps.Count);
        Assert.Equal(9, RandAugmentOptions.StandardOps.Intersect(o.Ops).Count());
    }

    [Fact]
    public void ArgumentsFollowTimmsLevelFunctions()
    {
        var ra = new RandAugment();
        // At m = 9, the recipe's mean magnitude.
        Assert.Equal(27.0, ra.Argument(RandAugmentOp.Rotate, 9), 12);
        Assert.Equal(-27.0, ra.Argument(RandAugmentOp.Rotate, 9, -1), 12);
        Assert.Equal(1, ra.Argument(RandAugmentOp.PosterizeIncreasing, 9));      // 4 − ⌊3.6⌋
        Assert.Equal(26, ra.Argument(RandAugmentOp.SolarizeIncreasing, 9));      // 256 − ⌊230.4⌋
        Assert.Equal(99, ra.Argument(RandAugmentOp.SolarizeAdd, 9));             // ⌊99.0⌋
        Assert.Equal(1.81, ra.Argument(RandAugmentOp.ColorIncreasing, 9), 12);
        Assert.Equal(0.19, ra.Argument(RandAugmentOp.SharpnessIncreasing, 9, -1), 12);
        Assert.Equal(0.27, ra.Argument(RandAugmentOp.ShearY, 9), 12);
        Assert.Equal(-0.405, ra.Argument(RandAugmentOp.TranslateXRel, 9, -1), 12);
        Assert.Equal(0, ra.Argument(RandAugmentOp.Equalize, 9));
        // The original levels: milder posterize / solarize with m, enhancement 0.1 … 1.9 without sign.
        Assert.Equal(3, ra.Argument(RandAugmentOp.Posterize, 9));
        Assert.Equal(230, ra.Argument(RandAugmentOp.Solarize, 9));
        Assert.Equal(1.72, ra.Argument(RandAugmentOp.Contrast, 9, -1), 12);
        // The ends of the scale: m = 10 posterizes to 0 bits and inverts everything; m = 0 changes nothing.
        Assert.Equal(0, ra.Argument(RandAugmentOp.PosterizeIncreasing, 10));
        Assert.Equal(0, ra.Argument(RandAugmentOp.SolarizeIncreasing, 10));
        Assert.Equal(4, ra.Argument(RandAugmentOp.PosterizeIncreasing, 0));
        Assert.Equal(256, ra.Argument(RandAugmentOp.SolarizeIncreasing, 0));
        Assert.Equal(1.0, ra.Argument(RandAugmentOp.BrightnessIncreasing, 0));
        // Only the geometric ops and the increasing enhancements are signed.
        Assert.Equal(9, Enum.GetValues<RandAugmentOp>().Count(RandAugment.IsSigned));
        Assert.Throws<ArgumentOutOfRangeException>(() => ra.Argument(RandAugmentOp.Rotate, 10.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ra.Argument(RandAugmentOp.Rotate, 5, 0));
    }

    [Fact]
    public void MagnitudesAreNormalAroundMAndClippedToTheScale()
    {
        const int n = 20_000;
        var random = new Random(11);
        // m = 5: clipping is 10σ away, so these are the unclipped draws: mean m and std σ within 4 standard errors.
        var mid = new RandAugment(new RandAugmentOptions { Magnitude = 5 });
        var draws = Enumerable.Range(0, n).Select(_ => mid.SampleMagnitude(random)).ToArray();
        double mean = draws.Average(), std = Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        Assert.InRange(mean, 5 - 4 * 0.5 / Math.Sqrt(n), 5 + 4 * 0.5 / Math.Sqrt(n));
        Assert.InRange(std, 0.5 - 4 * 0.5 / Math.Sqrt(2.0 * n), 0.5 + 4 * 0.5 / Math.Sqrt(2.0 * n));
        var z = draws.Select(d => (d - 5) / 0.5).ToArray();
        Assert.InRange(z.Count(v => Math.Abs(v) < 1) / (double)n, 0.6827 - 0.013, 0.6827 + 0.013);   // normal, not uniform

        // m = 9 (the recipe): P(N(9, 0.5) > 10) = 1 − Φ(2) = 2.275 % of the draws sit exactly at 10.
        var recipe = new RandAugment();
        draws = Enumerable.Range(0, n).Select(_ => recipe.SampleMagnitude(random)).ToArray();
        Assert.All(draws, d => Assert.InRange(d, 0, 10));
        double atTop = draws.Count(d => d == 10) / (double)n, sigma = Math.Sqrt(0.02275 * (1 - 0.02275) / n);
        Assert.InRange(atTop, 0.02275 - 4 * sigma, 0.02275 + 4 * sigma);
        // m = 0.2: P(N(0.2, 0.5) < 0) = Φ(−0.4) = 34.46 % at exactly 0.
        var low = new RandAugment(new RandAugmentOptions { Magnitude = 0.2 });
        double atZero = Enumerable.Range(0, n).Count(_ => low.SampleMagnitude(random) == 0) / (double)n;
        sigma = Math.Sqrt(0.3446 * (1 - 0.3446) / n);
        Assert.InRange(atZero, 0.3446 - 4 * sigma, 0.3446 + 4 * sigma);

        // σ = 0 keeps m; σ = ∞ is timm's uniform draw on [0, m].
        Assert.Equal(9, new RandAugment(new RandAugmentOptions { MagnitudeStd = 0 }).SampleMagnitude(random));
        var uniform = new RandAugment(new RandAugmentOptions { MagnitudeStd = double.PositiveInfinity });
        draws = Enumerable.Range(0, n).Select(_ => uniform.SampleMagnitude(random)).ToArray();
        Assert.All(draws, d => Assert.InRange(d, 0, 9));
        Assert.InRange(draws.Average(), 4.5 - 4 * 9 / Math.Sqrt(12.0 * n), 4.5 + 4 * 9 / Math.Sqrt(12.0 * n));
    }

    [Fact]
    public void ApplyDrawsOpsThenCoinMagnitudeAndSignPerOp()
    {
        using var x = Image();
        var ra = new RandAugment(new RandAugmentOptions { Probability = 0.7 });
        for (int seed = 0; seed < 12; seed++)
        {
            using var actual = ra.Apply(x, new Random(seed));
            // The same draws by hand, in timm's order.
            var r = new Random(seed);
            var ops = new[] { ra.Options.Ops[r.Next(15)], ra.Options.Ops[r.Next(15)] };
            var expected = ImageOps.Posterize(x, 8);                          // the image on the 8-bit grid
            foreach (var op in ops)
            {
                if (r.NextDouble() >= 0.7) continue;
                double m = ra.SampleMagnitude(r);
                int sign = RandAugment.IsSigned(op) && r.NextDouble() > 0.5 ? -1 : 1;
                var next = ra.ApplyOp(expected, op, ra.Argument(op, m, sign));
                expected.Dispose();
                expected = next;
            }
            TensorAssert.Equal(expected, actual, $"seed {seed}: {string.Join(", ", ops)}");
            expected.Dispose();
            Assert.True(OnGrid(actual));
        }
    }

    [Fact]
    public void SignsAreDrawnEvenly()
    {
        using var x = Image(12, 14);
        var ra = new RandAugment(new RandAugmentOptions { Layers = 1, Probability = 1, MagnitudeStd = 0, Ops = new[] { RandAugmentOp.Rotate } });
        using var plus = ra.ApplyOp(x, RandAugmentOp.Rotate, 27);
        using var minus = ra.ApplyOp(x, RandAugmentOp.Rotate, -27);
        var random = new Random(4);
        int positive = 0, negative = 0;
        const int n = 400;
        for (int i = 0; i < n; i++)
        {
            using var y = ra.Apply(x, random);
            if (y.allclose(plus, 0, 0)) positive++;
            else if (y.allclose(minus, 0, 0)) negative++;
        }
        Assert.Equal(n, positive + negative);
        Assert.InRange(positive, n / 2 - 4 * Math.Sqrt(n / 4.0), n / 2 + 4 * Math.Sqrt(n / 4.0));
    }

    [Fact]
    public void WithoutOperationsTheImageIsOnlyRoundedToTheGrid()
    {
        using var x = TestImages.Uniform(new long[] { 3, 10, 12 }, 3);                 // off the grid
        using var expected = (x * 255).round().div(255);
        using var none = new RandAugment(new RandAugmentOptions { Probability = 0 }).Apply(x, new Random(1));
        using var zero = new RandAugment(new RandAugmentOptions { Layers = 0 }).Apply(x, new Random(1));
        TensorAssert.Equal(expected, none, "p = 0");
        TensorAssert.Equal(expected, zero, "no layers");
        using var a = new RandAugment().Apply(x, new Random(5));
        using var b = new RandAugment().Apply(x, new Random(5));
        TensorAssert.Equal(a, b, "same seed");
    }

    [Fact]
    public void PixelOperationsFollowPilsTables()
    {
        using var ramp = arange(256, dtype: ScalarType.Float32).div(255).view(1, 1, 256).expand(3, 2, 256).contiguous();
        float[] Levels(Tensor t) { using var v = (t[0, 0] * 255).round(); return v.data<float>().ToArray(); }
        var v = Enumerable.Range(0, 256).ToArray();
        using (var y = ImageOps.SolarizeAdd(ramp, 99)) Assert.Equal(v.Select(i => (float)(i < 128 ? Math.Min(255, i + 99) : i)), Levels(y));
        using (var y = ImageOps.Solarize(ramp, 26)) Assert.Equal(v.Select(i => (float)(i < 26 ? i : 255 - i)), Levels(y));
        using (var y = ImageOps.Posterize(ramp, 1)) Assert.Equal(v.Select(i => (float)(i & 128)), Levels(y));
        using (var y = ImageOps.Posterize(ramp, 0)) Assert.All(Levels(y), l => Assert.Equal(0f, l));
        using (var y = ImageOps.Invert(ramp)) Assert.Equal(v.Select(i => (float)(255 - i)), Levels(y));
        using (var y = ImageOps.Posterize(ramp, 8)) TensorAssert.Equal(ramp, y, "8 bits");
        using (var y = ImageOps.Solarize(ramp, 256)) TensorAssert.Equal(ramp, y, "threshold 256");
        // Autocontrast stretches [lo, hi] to [0, 255], truncating: a channel spanning 50 … 150 doubles around 50.
        using var narrow = (arange(50, 151, dtype: ScalarType.Float32) / 255).view(1, 1, 101).expand(3, 1, 101).contiguous();
        using (var y = ImageOps.AutoContrast(narrow))
            Assert.Equal(Enumerable.Range(50, 101).Select(i => (float)(int)(i * 2.55 - 50 * 2.55)), Levels(y));
        // A flat channel is left alone by autocontrast and equalize.
        using var flat = full(new long[] { 3, 4, 4 }, 77 / 255f);
        using (var y = ImageOps.AutoContrast(flat)) TensorAssert.Equal(flat, y, "flat autocontrast");
        using (var y = ImageOps.Equalize(flat)) TensorAssert.Equal(flat, y, "flat equalize");
    }

    [Fact]
    public void EnhancementsAtFactorOneAndZeroGiveTheImageAndTheDegenerate()
    {
        using var x = Image();
        foreach (var f in new Func<Tensor, double, Tensor>[] { ImageEnhance.Color, ImageEnhance.Contrast, ImageEnhance.Brightness, ImageEnhance.Sharpness })
        {
            using var same = f(x, 1.0);
            TensorAssert.Equal(x, same, $"{f.Method.Name} 1");
        }
        using (var black = ImageEnhance.Brightness(x, 0)) Assert.Equal(0, black.abs().max().item<float>());
        using (var gray = ImageEnhance.Color(x, 0))
        {
            TensorAssert.Equal(gray[0], gray[1], "gray: equal channels");
            // PIL's luma (19595 R + 38470 G + 7471 B + 2^15) >> 16 is the ITU-R 601-2 luma rounded to a level.
            using var itu = RandomGrayscale.Luma(x) * 255;
            using var error = (gray[0] * 255 - itu[0]).abs().max();
            Assert.True(error.item<float>() <= 0.5 + 1e-3, $"luma rounding {error.item<float>()}");
        }
        using (var flat = ImageEnhance.Contrast(x, 0)) Assert.Equal(1, flat.unique().Item1.numel());
        // Sharpness leaves the one-pixel border unfiltered.
        using (var s = ImageEnhance.Sharpness(x, 0))
        {
            TensorAssert.Equal(x.narrow(1, 0, 1), s.narrow(1, 0, 1), "top row");
            TensorAssert.Equal(x.narrow(2, 27, 1), s.narrow(2, 27, 1), "right column");
            Assert.False(x.narrow(1, 1, 22).narrow(2, 1, 26).allclose(s.narrow(1, 1, 22).narrow(2, 1, 26), 0, 0));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEnhance.Contrast(x, double.NaN));
    }

    [Fact]
    public void WholePixelTranslationsShiftExactlyAndFillWithTheMean()
    {
        using var x = Image(10, 12);
        foreach (var filter in new[] { AffineInterpolation.Bicubic, AffineInterpolation.Bilinear })
        {
            using var identity = AffineWarp.Apply(x, new double[] { 1, 0, 0, 0, 1, 0 }, Fill, filter);
            TensorAssert.Equal(x, identity, $"{filter} identity");
            using var left = AffineWarp.TranslateX(x, 3, Fill, filter);                 // source x + 3: content moves left
            TensorAssert.Equal(x.narrow(2, 3, 9), left.narrow(2, 0, 9), $"{filter} shifted content");
            using var fill = tensor(new[] { 124 / 255f, 116 / 255f, 104 / 255f }).view(3, 1, 1).expand(3, 10, 3);
            TensorAssert.Equal(fill, left.narrow(2, 9, 3), $"{filter} fill");
            using var up = AffineWarp.TranslateY(x, -2, Fill, filter);                  // source y − 2: content moves down
            TensorAssert.Equal(x.narrow(1, 0, 8), up.narrow(1, 2, 8), $"{filter} down");
            using var gone = AffineWarp.TranslateX(x, 12, Fill, filter);
            TensorAssert.Equal(fill.narrow(2, 0, 1).expand(3, 10, 12), gone, $"{filter} all fill");
        }
        using var none = AffineWarp.Rotate(x, 360, Fill);
        TensorAssert.Equal(x, none, "a full turn");
        using var half = AffineWarp.Rotate(x, -180, Fill);
        TensorAssert.Equal(x.flip(1, 2), half, "half turn");
        Assert.Throws<ArgumentOutOfRangeException>(() => AffineWarp.Rotate(x, 10, (124, 116, 256)));
        Assert.Throws<ArgumentException>(() => AffineWarp.Apply(x, new double[] { 1, 0, 0, 0, 1 }, Fill));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.Solarize(x, 257));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.Posterize(x, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandAugment(new RandAugmentOptions { Magnitude = 11 }));
        Assert.Throws<ArgumentException>(() => new RandAugment(new RandAugmentOptions { Ops = Array.Empty<RandAugmentOp>() }));
    }
}
