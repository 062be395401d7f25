using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// The enhancement operations of timm's RandAugment (timm 0.4.12 <c>timm/data/auto_augment.py</c> <c>color</c>,
/// <c>contrast</c>, <c>brightness</c>, <c>sharpness</c>), which call PIL's <c>ImageEnhance</c>, written for 3×H×W float
/// images in [0,1] on the 8-bit grid (<see cref="ImageOps"/> says how images are rounded to it).
/// </summary>
/// <remarks>
/// Each one blends the image with a degenerate version of it the way PIL's <c>Image.blend(degenerate, image, f)</c>
/// does on 8-bit data: <c>trunc(d + f·(v − d))</c> in single precision, clamped to 0…255, so the result is rounded
/// down, not to the nearest level. f = 1 returns the image, f = 0 the degenerate image, f &gt; 1 extrapolates.
/// torchvision's tensor path blends in floating point without rounding; its PIL path is this.
/// </remarks>
public static class ImageEnhance
{
    /// <summary>Saturation: blends with PIL's 8-bit luma, <c>(19595 R + 38470 G + 7471 B + 2¹⁵) >> 16</c>, in all
    /// three channels (PIL <c>ImageEnhance.Color</c>; f = 0 gives the grayscale image).</summary>
    public static Tensor Color(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        var gray = EightBit.Luma(levels).expand(3, -1, -1);
        return EightBit.ToUnit(Blend(gray, levels, factor), image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Contrast: blends with a uniform image at the mean luma, rounded half up to a level (PIL
    /// <c>ImageEnhance.Contrast</c>: <c>int(mean(L) + 0.5)</c>).</summary>
    public static Tensor Contrast(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        double mean = EightBit.Luma(levels).to(ScalarType.Float64).mean().item<double>();
        var gray = full_like(levels, (int)(mean + 0.5));
        return EightBit.ToUnit(Blend(gray, levels, factor), image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Brightness: blends with black (PIL <c>ImageEnhance.Brightness</c>).</summary>
    public static Tensor Brightness(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        return EightBit.ToUnit(Blend(zeros_like(levels), levels, factor), image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sharpness: blends with PIL's <c>ImageFilter.SMOOTH</c> of the image, the 3×3 kernel [1 1 1; 1 5 1; 1 1 1] / 13
    /// rounded to the nearest level, with the one-pixel border copied unfiltered (PIL <c>ImageEnhance.Sharpness</c>);
    /// f &gt; 1 sharpens, f &lt; 1 blurs. Images under 3 pixels on a side are their own smoothed version.
    /// </summary>
    public static Tensor Sharpness(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        return EightBit.ToUnit(Blend(Smooth(levels), levels, factor), image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>PIL's SMOOTH filter on levels: <c>round((Σ₃ₓ₃ v + 4·v_centre) / 13)</c> inside, the border unchanged.</summary>
    static Tensor Smooth(Tensor levels)
    {
        long h = levels.shape[1], w = levels.shape[2];
        if (h < 3 || w < 3) return levels.clone();
        var kernel = ones(3, 1, 3, 3, dtype: ScalarType.Float32, device: levels.device);
        kernel[.., .., 1, 1] = tensor(5f);
        // Integer sums up to 13 · 255, exact in float32; the quotient is never within 1/26 of a half level, so
        // PIL's single-precision (x / 13 + 0.5) truncated is the exact rounding below.
        var sums = conv2d(levels.unsqueeze(0), kernel, groups: 3).squeeze(0).to(ScalarType.Int64);
        var inner = (2 * sums + 13).div(26, rounding_mode: RoundingMode.floor).to(ScalarType.Float32);
        var smoothed = levels.clone();
        smoothed[.., 1..(int)(h - 1), 1..(int)(w - 1)] = inner;
        return smoothed;
    }

    /// <summary>PIL <c>Image.blend(degenerate, image, f)</c> on levels: <c>clamp(trunc(d + f·(v − d)), 0, 255)</c> in
    /// float32, with f rounded to float32 as PIL's C code receives it.</summary>
    static Tensor Blend(Tensor degenerate, Tensor levels, double factor)
    {
        if (!double.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be finite; got {factor}.");
        float alpha = (float)factor;
        if (alpha == 0f) return degenerate.clone();
        if (alpha == 1f) return levels.clone();
        using var a = tensor(alpha, device: levels.device);
        var blended = degenerate + (levels - degenerate) * a;
        return blended.clamp_(0, 255).trunc_();
    }
}
