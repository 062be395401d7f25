using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// The pixel-value operations of timm's RandAugment (timm 0.4.12 <c>timm/data/auto_augment.py</c>), which calls
/// PIL's <c>ImageOps</c>, written for 3×H×W float images in [0,1].
/// </summary>
/// <remarks>
/// PIL works on 8-bit images, so each operation first rounds its input to the 8-bit grid <c>v = round(255·x)</c>,
/// applies PIL's integer lookup table, and returns <c>v / 255</c> (torchvision <c>ToTensor</c>). On an image already on
/// the grid (any 8-bit image, or the output of another operation here) the results are PIL's exactly; the parity tests
/// compare them with torchvision's functional operations on PIL images, the calls timm makes.
/// </remarks>
public static class ImageOps
{
    /// <summary>
    /// Stretches each channel so that its darkest level becomes 0 and its brightest 255 (PIL
    /// <c>ImageOps.autocontrast(image)</c>, cutoff 0): <c>v ↦ clamp(trunc((v − lo) · 255 / (hi − lo)), 0, 255)</c>; a
    /// channel with a single level is left unchanged.
    /// </summary>
    public static Tensor AutoContrast(Tensor image)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        var tables = EightBit.Histograms(levels).Select(AutoContrastTable).ToArray();
        return EightBit.ToUnit(EightBit.Lookup(levels, tables), image.dtype).MoveToOuterDisposeScope();
    }

    static int[] AutoContrastTable(long[] histogram)
    {
        int lo = Array.FindIndex(histogram, n => n > 0), hi = Array.FindLastIndex(histogram, n => n > 0);
        if (hi <= lo) return Enumerable.Range(0, 256).ToArray();
        double scale = 255.0 / (hi - lo), offset = -lo * scale;
        return Enumerable.Range(0, 256).Select(v => Math.Clamp((int)(v * scale + offset), 0, 255)).ToArray();
    }

    /// <summary>
    /// Equalises each channel's histogram (PIL <c>ImageOps.equalize(image)</c>): with <c>step = (N − n_max) div 255</c>,
    /// N the pixel count and n_max the count of the brightest level present, level v maps to
    /// <c>(step div 2 + Σ_{u&lt;v} n_u) div step</c>; a channel with one level, or with step 0, is left unchanged.
    /// </summary>
    public static Tensor Equalize(Tensor image)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        var tables = EightBit.Histograms(levels).Select(EqualizeTable).ToArray();
        return EightBit.ToUnit(EightBit.Lookup(levels, tables), image.dtype).MoveToOuterDisposeScope();
    }

    static int[] EqualizeTable(long[] histogram)
    {
        var present = histogram.Where(n => n > 0).ToArray();
        var identity = Enumerable.Range(0, 256).ToArray();
        if (present.Length <= 1) return identity;
        long step = (present.Sum() - present[^1]) / 255;
        if (step == 0) return identity;
        var table = new int[256];
        long n = step / 2;
        for (int v = 0; v < 256; v++)
        {
            table[v] = (int)Math.Min(n / step, 255);
            n += histogram[v];
        }
        return table;
    }

    /// <summary><c>v ↦ 255 − v</c> (PIL <c>ImageOps.invert</c>).</summary>
    public static Tensor Invert(Tensor image)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        return EightBit.ToUnit(255 - levels, image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Keeps the <paramref name="bits"/> most significant bits of each level (PIL <c>ImageOps.posterize</c>;
    /// timm returns the image unchanged for 8 bits or more, as this does); 0 bits gives black.</summary>
    public static Tensor Posterize(Tensor image, int bits)
    {
        SingleImage.Check(image, nameof(image));
        if (bits < 0) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"bits must be >= 0; got {bits}.");
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        if (bits >= 8) return EightBit.ToUnit(levels, image.dtype).MoveToOuterDisposeScope();
        int mask = ~((1 << (8 - bits)) - 1);
        return EightBit.ToUnit(EightBit.Lookup(levels, v => v & mask), image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Inverts the levels at or above <paramref name="threshold"/> (0…256): <c>v ↦ v &lt; t ? v : 255 − v</c> (PIL
    /// <c>ImageOps.solarize(image, t)</c>); 256 leaves the image unchanged, 0 inverts it. Unlike
    /// <see cref="Transforms.Solarize"/>, which works on [0,1] values, the threshold is an 8-bit level.
    /// </summary>
    public static Tensor Solarize(Tensor image, int threshold)
    {
        SingleImage.Check(image, nameof(image));
        if (threshold < 0 || threshold > 256)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"threshold must be an 8-bit level in [0, 256]; got {threshold}.");
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        return EightBit.ToUnit(EightBit.Lookup(levels, v => v < threshold ? v : 255 - v), image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Brightens the levels below <paramref name="threshold"/> by <paramref name="addition"/>:
    /// <c>v ↦ v &lt; t ? min(255, v + a) : v</c> (timm auto_augment.py <c>solarize_add</c>, threshold 128).
    /// </summary>
    public static Tensor SolarizeAdd(Tensor image, int addition, int threshold = 128)
    {
        SingleImage.Check(image, nameof(image));
        if (threshold < 0 || threshold > 256)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"threshold must be an 8-bit level in [0, 256]; got {threshold}.");
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        return EightBit.ToUnit(EightBit.Lookup(levels, v => v < threshold ? Math.Min(255, v + addition) : v), image.dtype).MoveToOuterDisposeScope();
    }
}
