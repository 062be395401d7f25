using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// The 8-bit pixel grid of PIL images, on which timm's RandAugment works: a [0,1] image is rounded to the levels
/// <c>v = round(255·x)</c> (0…255, held exactly in float32), an operation maps levels to levels, and the result is
/// <c>v / 255</c> in float32, what torchvision's <c>ToTensor</c> returns for the PIL image.
/// </summary>
internal static class EightBit
{
    /// <summary>Levels 0…255 of a 3×H×W image in [0,1] (out-of-range values clamped), float32.</summary>
    public static Tensor Levels(Tensor image)
    {
        using var scope = NewDisposeScope();
        return (image.to(ScalarType.Float32).clamp(0, 1) * 255).round_().MoveToOuterDisposeScope();
    }

    /// <summary><c>v / 255</c> in float32 (torchvision <c>ToTensor</c>), then cast to <paramref name="dtype"/>.</summary>
    public static Tensor ToUnit(Tensor levels, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        return (levels.to(ScalarType.Float32) / 255).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Per-channel lookup (PIL <c>Image.point</c> with a 3 × 256 table): <c>out[c] = table[c][v]</c>.</summary>
    public static Tensor Lookup(Tensor levels, int[][] tables)
    {
        using var scope = NewDisposeScope();
        var flat = tables.SelectMany(t => t.Select(v => (float)Math.Clamp(v, 0, 255))).ToArray();
        var table = tensor(flat, new long[] { 3, 256 }, device: levels.device);
        var index = levels.to(ScalarType.Int64).view(3, -1);
        return table.gather(1, index).view_as(levels).MoveToOuterDisposeScope();
    }

    /// <summary>One table for all three channels.</summary>
    public static Tensor Lookup(Tensor levels, Func<int, int> map)
    {
        var table = Enumerable.Range(0, 256).Select(map).ToArray();
        return Lookup(levels, new[] { table, table, table });
    }

    /// <summary>The 256-bin histogram of each channel (PIL <c>Image.histogram</c> of an RGB image).</summary>
    public static long[][] Histograms(Tensor levels)
    {
        using var scope = NewDisposeScope();
        var counts = levels.to(ScalarType.Int64).view(3, -1).cpu();
        return Enumerable.Range(0, 3).Select(c => counts[c].bincount(null, 256).data<long>().ToArray()).ToArray();
    }

    /// <summary>PIL's RGB → L conversion: <c>(19595 R + 38470 G + 7471 B + 2¹⁵) >> 16</c>, 1×H×W levels.</summary>
    public static Tensor Luma(Tensor levels)
    {
        using var scope = NewDisposeScope();
        var rgb = levels.to(ScalarType.Int64).unbind(0);
        var luma = (rgb[0] * 19595 + rgb[1] * 38470 + rgb[2] * 7471 + 32768).bitwise_right_shift(16);
        return luma.to(ScalarType.Float32).unsqueeze(0).MoveToOuterDisposeScope();
    }
}
