using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

/// <summary>
/// RandAugment's operations at fixed arguments against torchvision 0.14's functional operations (Debian's
/// python3-torchvision with python3-pil 9.4), through reference/python/transforms_reference.py. timm 0.4.12 runs them on
/// 8-bit PIL images, so the reference is torchvision's PIL path, which calls the same PIL functions; a few pixel
/// operations are also compared with torchvision's tensor path on uint8 tensors.
/// </summary>
public class RandAugmentParityTests
{
    static readonly (int R, int G, int B) ImageNetFill = (124, 116, 104);

    /// <summary>A natural image with fine noise, on the 8-bit grid: flat regions, edges and texture, with some
    /// saturated pixels.</summary>
    static Tensor Image(int h = 36, int w = 44, long seed = 31)
    {
        using var natural = TestImages.Natural(1, Math.Max(h, w), seed);
        using var crop = natural[0].narrow(1, 0, h).narrow(2, 0, w);
        using var noise = TestImages.Uniform(new long[] { 3, h, w }, seed + 1);
        using var x = (1.2f * crop + 0.15f * noise - 0.1f).clamp(0, 1);
        return (x * 255).round_().div_(255);
    }

    static Tensor Reference(string op, Tensor image, double arg = 0, string path = "pil", string interpolation = "bicubic") =>
        PyTorchReference.Call("tv_randaugment_op", new Dictionary<string, Tensor> { ["image"] = image },
            new { op, arg, path, interpolation, fill = new[] { ImageNetFill.R, ImageNetFill.G, ImageNetFill.B } })["out"];

    /// <summary>Both sides are on the 8-bit grid: compares in levels, allowing <paramref name="levels"/> levels and at
    /// most <paramref name="share"/> of the entries to differ at all.</summary>
    static void AssertLevels(Tensor expected, Tensor actual, int levels, double share, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var e = (expected.to(ScalarType.Float64) * 255).round();
        using var a = (actual.to(ScalarType.Float64) * 255).round();
        using var onGrid = (actual.to(ScalarType.Float64) * 255 - a).abs().max();
        Assert.True(onGrid.item<double>() < 1e-3, $"{what}: the result is not on the 8-bit grid");
        using var diff = (a - e).abs();
        double max = diff.max().item<double>();
        using var differ = diff.gt(0).sum();
        long count = differ.item<long>();
        Assert.True(max <= levels && count <= share * e.numel(),
            $"{what}: max |Δ| = {max} levels, {count} of {e.numel()} entries differ (allowed: {levels} levels on at most {share:P2}).");
    }

    // Lookup tables on integer levels: identical to PIL's, entry for entry.
    [TorchvisionTheory]
    [InlineData("autocontrast", 0)]
    [InlineData("equalize", 0)]
    [InlineData("invert", 0)]
    [InlineData("posterize", 0)]
    [InlineData("posterize", 1)]     // rand-m9-inc1: 4 − ⌊3.6⌋
    [InlineData("posterize", 3)]
    [InlineData("posterize", 4)]
    [InlineData("solarize", 26)]     // rand-m9-inc1: 256 − ⌊230.4⌋
    [InlineData("solarize", 128)]
    [InlineData("solarize", 0)]
    [InlineData("solarize", 256)]
    public void PixelOperationsMatchPilExactly(string op, int arg)
    {
        using var x = Image();
        using var ours = op switch
        {
            "autocontrast" => ImageOps.AutoContrast(x),
            "equalize" => ImageOps.Equalize(x),
            "invert" => ImageOps.Invert(x),
            "posterize" => ImageOps.Posterize(x, arg),
            _ => ImageOps.Solarize(x, arg),
        };
        using var theirs = Reference(op, x, arg);
        AssertLevels(theirs, ours, 0, 0, $"{op} {arg}");
    }

    // torchvision's tensor path on uint8 follows PIL's tables too (its autocontrast computes the stretch in float32
    // instead of PIL's double: a level may round the other way where the product lands on an integer).
    [TorchvisionTheory]
    [InlineData("autocontrast", 0, 1)]
    [InlineData("equalize", 0, 0)]
    [InlineData("invert", 0, 0)]
    [InlineData("posterize", 2, 0)]
    [InlineData("solarize", 100, 0)]
    public void PixelOperationsMatchTorchvisionsUint8TensorPath(string op, int arg, int levels)
    {
        using var x = Image(40, 40, 5);
        using var ours = op switch
        {
            "autocontrast" => ImageOps.AutoContrast(x),
            "equalize" => ImageOps.Equalize(x),
            "invert" => ImageOps.Invert(x),
            "posterize" => ImageOps.Posterize(x, arg),
            _ => ImageOps.Solarize(x, arg),
        };
        using var theirs = Reference(op, x, arg, path: "tensor");
        AssertLevels(theirs, ours, levels, levels == 0 ? 0 : 0.01, $"{op} {arg} (tensor path)");
    }

    // Blends: PIL computes d + f·(v − d) in single precision and truncates; so do we, with the same operations.
    [TorchvisionTheory]
    [InlineData("color", 0.1)]
    [InlineData("color", 0.7)]
    [InlineData("color", 1.81)]
    [InlineData("contrast", 0.19)]
    [InlineData("contrast", 1.55)]
    [InlineData("brightness", 0.1)]
    [InlineData("brightness", 0.7)]       // 0.7f·10 rounds to 7 exactly in single precision, not in double
    [InlineData("brightness", 1.9)]
    [InlineData("sharpness", 0.19)]
    [InlineData("sharpness", 1.81)]
    [InlineData("sharpness", 0.0)]
    public void EnhancementsMatchPil(string op, double factor)
    {
        using var x = Image();
        using var ours = op switch
        {
            "color" => ImageEnhance.Color(x, factor),
            "contrast" => ImageEnhance.Contrast(x, factor),
            "brightness" => ImageEnhance.Brightness(x, factor),
            _ => ImageEnhance.Sharpness(x, factor),
        };
        using var theirs = Reference(op, x, factor);
        AssertLevels(theirs, ours, 0, 0, $"{op} {factor}");
    }

    // Affine resampling in double precision on both sides, truncated to a level.
    [TorchvisionTheory]
    [InlineData("rotate", 27.0, "bicubic")]
    [InlineData("rotate", -13.5, "bicubic")]
    [InlineData("rotate", 3.0, "bilinear")]
    [InlineData("rotate", -30.0, "bilinear")]
    [InlineData("rotate", 90.0, "bicubic")]        // not square: PIL's general path
    [InlineData("rotate", 180.0, "bicubic")]       // PIL's exact transpose
    [InlineData("shear_x", 0.27, "bicubic")]
    [InlineData("shear_x", -0.3, "bilinear")]
    [InlineData("shear_y", -0.15, "bicubic")]
    [InlineData("shear_y", 0.3, "bilinear")]
    [InlineData("translate_x", 17.82, "bicubic")]  // 0.405 · 44, rand-m9's fraction
    [InlineData("translate_x", -6.5, "bilinear")]
    [InlineData("translate_y", -14.58, "bicubic")]
    [InlineData("translate_y", 3.0, "bicubic")]
    public void GeometricOperationsMatchPil(string op, double arg, string interpolation)
    {
        using var x = Image();
        var filter = interpolation == "bicubic" ? AffineInterpolation.Bicubic : AffineInterpolation.Bilinear;
        using var ours = op switch
        {
            "rotate" => AffineWarp.Rotate(x, arg, ImageNetFill, filter),
            "shear_x" => AffineWarp.ShearX(x, arg, ImageNetFill, filter),
            "shear_y" => AffineWarp.ShearY(x, arg, ImageNetFill, filter),
            "translate_x" => AffineWarp.TranslateX(x, arg, ImageNetFill, filter),
            _ => AffineWarp.TranslateY(x, arg, ImageNetFill, filter),
        };
        using var theirs = Reference(op, x, arg, interpolation: interpolation);
        AssertLevels(theirs, ours, 0, 0, $"{op} {arg} {interpolation}");
    }

    [TorchvisionTheory]
    [InlineData(90.0)]
    [InlineData(270.0)]
    [InlineData(-90.0)]
    public void QuarterTurnsOfSquareImagesMatchPilsTranspose(double degrees)
    {
        using var x = Image(30, 30);
        using var ours = AffineWarp.Rotate(x, degrees, ImageNetFill);
        using var theirs = Reference("rotate", x, degrees);
        AssertLevels(theirs, ours, 0, 0, $"rotate {degrees}");
    }

    // The decision: timm's RandAugment is PIL's, so Folk.Lab rounds as PIL does. torchvision's tensor path on float
    // images (what a GPU pipeline would call) does not round at all: it lies above PIL's truncated result by less than a
    // level, shifted by at most |1 − f| times the rounding of PIL's degenerate image (0.5 level for the 8-bit luma and
    // the smoothed image, 1 level for the contrast mean, 0.03 for torchvision's 0.2989 red weight).
    [TorchvisionTheory]
    [InlineData("brightness", 0.7, 0.0)]
    [InlineData("brightness", 1.9, 0.0)]
    [InlineData("color", 0.1, 0.53)]
    [InlineData("color", 1.81, 0.53)]
    [InlineData("sharpness", 0.19, 0.5)]
    [InlineData("sharpness", 1.81, 0.5)]
    [InlineData("contrast", 0.19, 1.03)]
    [InlineData("contrast", 1.55, 1.03)]
    public void TorchvisionsFloatTensorPathDiffersOnlyByPilsRounding(string op, double factor, double degenerateRounding)
    {
        using var x = Image();
        using var ours = op switch
        {
            "color" => ImageEnhance.Color(x, factor),
            "contrast" => ImageEnhance.Contrast(x, factor),
            "brightness" => ImageEnhance.Brightness(x, factor),
            _ => ImageEnhance.Sharpness(x, factor),
        };
        using var theirs = Reference(op, x, factor, path: "float");
        using var diff = (theirs.to(ScalarType.Float64) - ours.to(ScalarType.Float64)) * 255;
        double low = diff.min().item<double>(), high = diff.max().item<double>(), shift = Math.Abs(1 - factor) * degenerateRounding;
        Assert.True(low >= -shift - 1e-4 && high < 1 + shift + 1e-4,
            $"{op} {factor}: torchvision's float path − ours spans [{low:F3}, {high:F3}] levels, outside [{-shift:F3}, {1 + shift:F3}).");
        Assert.True(high > 0.5, $"{op} {factor}: the truncation should show ({high:F3} levels)");
    }

    [TorchvisionFact]
    public void TorchvisionsBilinearTensorRotationDiffersInsideOnlyByTruncation()
    {
        // Inside, both interpolate bilinearly between the same pixels; PIL truncates, the float path does not. At the
        // border the float path blends the fill colour in by the interpolated coverage, PIL cuts at the image edge.
        using var x = Image();
        using var ours = AffineWarp.Rotate(x, 27, ImageNetFill, AffineInterpolation.Bilinear);
        using var theirs = Reference("rotate", x, 27, path: "float", interpolation: "bilinear");
        using var diff = (theirs.to(ScalarType.Float64) - ours.to(ScalarType.Float64)) * 255;
        using var inner = diff.narrow(1, 10, 16).narrow(2, 12, 20);
        Assert.InRange(inner.min().item<double>(), -1e-4, 1.0);
        Assert.InRange(inner.max().item<double>(), 0.5, 1.0);
        Assert.True(diff.abs().max().item<double>() > 10, "the border treatments differ");
    }
}
