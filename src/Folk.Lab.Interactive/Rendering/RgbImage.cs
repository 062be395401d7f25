using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Rendering;

/// <summary>An 8-bit RGB raster, row-major, the common currency of the renderers.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Pixels">Width·Height·3 bytes.</param>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>
    /// A C×H×W image (C = 1 or 3) with values in [0,1] (clamped), optionally un-normalised first with
    /// <c>x·std + mean</c> per channel (ImageNet statistics for images that went through <c>Normalize</c>).
    /// </summary>
    public static RgbImage FromTensor(Tensor image, IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null)
    {
        if (image.dim() != 3 || (image.shape[0] != 1 && image.shape[0] != 3))
            throw new ArgumentException($"image must be C×H×W with C = 1 or 3; got shape [{string.Join("×", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        var x = image.detach().to(ScalarType.Float32).cpu();
        if (mean is not null && std is not null)
        {
            var m = tensor(mean.Select(v => (float)v).ToArray()).view(-1, 1, 1);
            var s = tensor(std.Select(v => (float)v).ToArray()).view(-1, 1, 1);
            x = x * s + m;
        }
        if (x.shape[0] == 1) x = x.expand(3, -1, -1);
        var bytes = x.clamp(0, 1).mul(255).round().to(ScalarType.Byte).permute(1, 2, 0).contiguous();
        int h = (int)image.shape[1], w = (int)image.shape[2];
        return new RgbImage(w, h, bytes.data<byte>().ToArray());
    }

    /// <summary>
    /// Every image of a B×C×H×W batch (C = 1 or 3, values in [0,1], or un-normalised first as in
    /// <see cref="FromTensor"/>), converted with one tensor pass rather than one per image.
    /// </summary>
    public static IReadOnlyList<RgbImage> FromBatch(Tensor images, IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null)
    {
        if (images.dim() != 4 || (images.shape[1] != 1 && images.shape[1] != 3))
            throw new ArgumentException($"images must be B×C×H×W with C = 1 or 3; got shape [{string.Join("×", images.shape)}].", nameof(images));
        using var scope = NewDisposeScope();
        var x = images.detach().to(ScalarType.Float32).cpu();
        if (mean is not null && std is not null)
        {
            var m = tensor(mean.Select(v => (float)v).ToArray()).view(1, -1, 1, 1);
            var s = tensor(std.Select(v => (float)v).ToArray()).view(1, -1, 1, 1);
            x = x * s + m;
        }
        if (x.shape[1] == 1) x = x.expand(-1, 3, -1, -1);
        var bytes = x.clamp(0, 1).mul(255).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
        int b = (int)images.shape[0], h = (int)images.shape[2], w = (int)images.shape[3], size = h * w * 3;
        var result = new RgbImage[b];
        for (int i = 0; i < b; i++) result[i] = new RgbImage(w, h, bytes.AsSpan(i * size, size).ToArray());
        return result;
    }

    /// <summary>
    /// An H×W map of values as a heatmap: linearly rescaled from [lo, hi] (the map's own min and max by default)
    /// to [0,1] and coloured with <paramref name="colormap"/>.
    /// </summary>
    public static RgbImage Heatmap(Tensor values, Colormap? colormap = null, double? lo = null, double? hi = null)
    {
        if (values.dim() != 2)
            throw new ArgumentException($"values must be an H×W map; got shape [{string.Join("×", values.shape)}].", nameof(values));
        colormap ??= Colormap.Spectral;
        using var cpu = values.detach().to(ScalarType.Float64).cpu();
        var data = cpu.data<double>().ToArray();
        double min = lo ?? data.Min(), max = hi ?? data.Max(), span = max > min ? max - min : 1;
        int h = (int)values.shape[0], w = (int)values.shape[1];
        var pixels = new byte[w * h * 3];
        for (int i = 0; i < data.Length; i++)
        {
            var (r, g, b) = colormap[(data[i] - min) / span];
            pixels[3 * i] = r; pixels[3 * i + 1] = g; pixels[3 * i + 2] = b;
        }
        return new RgbImage(w, h, pixels);
    }

    /// <summary>Tiles images into a grid, left to right and top to bottom, separated by <paramref name="gap"/> pixels
    /// of <paramref name="background"/> grey. Tiles of different sizes are top-left aligned in equal cells.</summary>
    public static RgbImage Grid(IReadOnlyList<RgbImage> tiles, int columns, int gap = 2, byte background = 255)
    {
        if (tiles.Count == 0) throw new ArgumentException("A grid needs at least one tile.", nameof(tiles));
        columns = Math.Clamp(columns, 1, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        int cellW = tiles.Max(t => t.Width), cellH = tiles.Max(t => t.Height);
        int width = columns * cellW + (columns + 1) * gap, height = rows * cellH + (rows + 1) * gap;
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, background);
        for (int i = 0; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            int x0 = gap + (i % columns) * (cellW + gap), y0 = gap + (i / columns) * (cellH + gap);
            for (int y = 0; y < tile.Height; y++)
                Buffer.BlockCopy(tile.Pixels, y * tile.Width * 3, pixels, ((y0 + y) * width + x0) * 3, tile.Width * 3);
        }
        return new RgbImage(width, height, pixels);
    }
}
