using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// scikit-image's <c>rgb2hsv</c> and <c>hsv2rgb</c> on B×3×H×W batches, the colour conversion of ImageNet-C's
/// brightness (hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>, <c>brightness</c>).
/// </summary>
/// <remarks>
/// Restated from scikit-image 0.19 <c>skimage/color/colorconv.py</c>, including its tie rule: where two channels
/// share the maximum, blue's hue formula wins over green's and green's over red's (the later assignments overwrite).
/// Hue, saturation and value all lie in [0, 1]; grey pixels (max = min) get hue 0 and saturation 0. Computed in
/// float64, ImageNet-C's dtype (it divides 8-bit images by 255.), and returned in float64.
/// </remarks>
public static class HsvColor
{
    /// <summary>B×3×H×W RGB in [0,1] → B×3×H×W (hue, saturation, value), float64.</summary>
    public static Tensor FromRgb(Tensor rgb)
    {
        Guard.ImageBatch(rgb, nameof(rgb));
        using var scope = NewDisposeScope();
        var x = rgb.to(ScalarType.Float64);
        Tensor r = x[TensorIndex.Colon, 0], g = x[TensorIndex.Colon, 1], b = x[TensorIndex.Colon, 2];
        var value = x.amax(new long[] { 1 });
        var delta = value - x.amin(new long[] { 1 });
        var grey = delta.eq(0.0);
        var saturation = where(grey, zeros_like(delta), delta / value);
        var hue = zeros_like(delta);
        hue = where(r.eq(value), (g - b) / delta, hue);
        hue = where(g.eq(value), (b - r) / delta + 2.0, hue);
        hue = where(b.eq(value), (r - g) / delta + 4.0, hue);
        hue = where(grey, zeros_like(hue), (hue / 6.0).remainder(1.0));
        return stack(new[] { hue, saturation, value }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>B×3×H×W (hue, saturation, value) in [0,1] → B×3×H×W RGB, float64.</summary>
    public static Tensor ToRgb(Tensor hsv)
    {
        Guard.ImageBatch(hsv, nameof(hsv));
        using var scope = NewDisposeScope();
        var x = hsv.to(ScalarType.Float64);
        Tensor h = x[TensorIndex.Colon, 0], s = x[TensorIndex.Colon, 1], v = x[TensorIndex.Colon, 2];
        var sector = (h * 6.0).floor();
        var f = h * 6.0 - sector;
        var p = v * (1.0 - s);
        var q = v * (1.0 - f * s);
        var t = v * (1.0 - (1.0 - f) * s);
        var index = sector.to(ScalarType.Int64).remainder(6);
        // sector 0…5: (v,t,p) (q,v,p) (p,v,t) (p,q,v) (t,p,v) (v,p,q)
        Tensor Pick(Tensor[] bySector)
        {
            var result = bySector[0];
            for (int k = 1; k < 6; k++) result = where(index.eq(k), bySector[k], result);
            return result;
        }
        var red = Pick(new[] { v, q, p, p, t, v });
        var green = Pick(new[] { t, v, v, q, p, p });
        var blue = Pick(new[] { p, p, t, v, v, q });
        return stack(new[] { red, green, blue }, 1).MoveToOuterDisposeScope();
    }
}
