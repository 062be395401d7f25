using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// RGB ↔ HSV of a 3×H×W image in [0,1], for <see cref="ColorJitter"/>'s hue shift. Hue is in [0, 1) (a full turn is
/// 1), 0 where the pixel is gray; ties between the largest channels are broken red, then green, then blue, as in
/// PIL's and torchvision's conversions.
/// </summary>
internal static class Hsv
{
    /// <summary>3×H×W (h, s, v).</summary>
    public static Tensor FromRgb(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var c = rgb.unbind(0);
        Tensor r = c[0], g = c[1], b = c[2];
        var max = rgb.amax(0);
        var min = rgb.amin(0);
        var delta = max - min;
        var gray = delta.eq(0);
        var safeDelta = where(gray, ones_like(delta), delta);
        var saturation = delta / where(gray, ones_like(max), max);

        // Sector of the largest channel, as a position in [0, 6): red 0 ± 1, green 2 ± 1, blue 4 ± 1.
        var fromRed = (g - b) / safeDelta;
        var fromGreen = 2 + (b - r) / safeDelta;
        var fromBlue = 4 + (r - g) / safeDelta;
        var sector = where(max.eq(r), fromRed, where(max.eq(g), fromGreen, fromBlue));
        var hue = where(gray, zeros_like(sector), (sector / 6 + 1).remainder(1.0));
        return stack(new[] { hue, saturation, max }).MoveToOuterDisposeScope();
    }

    /// <summary>3×H×W (r, g, b) from (h, s, v); the intermediate values are clamped to [0,1].</summary>
    public static Tensor ToRgb(Tensor hsv)
    {
        using var scope = NewDisposeScope();
        var c = hsv.unbind(0);
        Tensor h = c[0], s = c[1], v = c[2];
        var scaled = h * 6;
        var i = scaled.floor();
        var f = scaled - i;
        var p = (v * (1 - s)).clamp(0, 1);
        var q = (v * (1 - s * f)).clamp(0, 1);
        var t = (v * (1 - s * (1 - f))).clamp(0, 1);
        var candidates = stack(new[] { v, q, p, t });                          // indices 0 = v, 1 = q, 2 = p, 3 = t

        // For each sector 0…5, which candidate each of r, g, b takes.
        var table = tensor(new long[]
        {
            0, 1, 2, 2, 3, 0,   // r: v q p p t v
            3, 0, 0, 1, 2, 2,   // g: t v v q p p
            2, 2, 3, 0, 0, 1,   // b: p p t v v q
        }, new long[] { 3, 6 }, device: hsv.device);
        var sectorIndex = i.to(ScalarType.Int64).remainder(6);
        var pick = table.index_select(1, sectorIndex.flatten()).view(3, h.shape[0], h.shape[1]);
        return candidates.gather(0, pick).MoveToOuterDisposeScope();
    }
}
