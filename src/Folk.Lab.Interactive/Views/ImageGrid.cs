using Folk.Lab.Interactive.Rendering;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// Images shown as a grid with optional captions: a C×H×W image or a B×C×H×W batch (C = 1 or 3), in [0,1] or
/// normalised (then un-normalised with the given mean and std for display).
/// </summary>
/// <param name="Tiles">The images, in order.</param>
/// <param name="Captions">One caption per image, or none.</param>
/// <param name="Columns">Images per row.</param>
/// <param name="DisplayWidth">Shown width of one tile in CSS pixels (enlarged without smoothing when larger).</param>
public sealed record ImageGrid(IReadOnlyList<RgbImage> Tiles, IReadOnlyList<string>? Captions, int Columns, int? DisplayWidth = null)
{
    /// <summary>The grid of a C×H×W image or B×C×H×W batch.</summary>
    /// <param name="images">C×H×W or B×C×H×W, C = 1 or 3, float in [0,1] (or normalised, with <paramref name="mean"/>
    /// and <paramref name="std"/>).</param>
    /// <param name="captions">One per image, or null.</param>
    /// <param name="columns">Images per row (default: up to 8).</param>
    /// <param name="mean">Per-channel mean of a normalised batch (e.g. ImageNetNormalization.Mean).</param>
    /// <param name="std">Per-channel std of a normalised batch.</param>
    /// <param name="displayWidth">Shown tile width in CSS pixels.</param>
    public static ImageGrid Of(Tensor images, IReadOnlyList<string>? captions = null, int? columns = null,
                               IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null, int? displayWidth = null)
    {
        if (images.dim() == 3) images = images.unsqueeze(0);
        if ((mean is null) != (std is null)) throw new ArgumentException("Give both mean and std to un-normalise, or neither.", nameof(mean));
        var tiles = RgbImage.FromBatch(images, mean, std);
        if (captions is not null && captions.Count != tiles.Count)
            throw new ArgumentException($"captions must hold one caption per image ({tiles.Count}); got {captions.Count}.", nameof(captions));
        return new ImageGrid(tiles, captions, columns ?? Math.Min(8, tiles.Count), displayWidth);
    }

    /// <summary>The whole grid as one raster (2-pixel white gaps).</summary>
    public RgbImage ToImage() => RgbImage.Grid(Tiles, Columns);

    /// <summary>The whole grid as one PNG.</summary>
    public byte[] ToPng() => Png.Encode(ToImage());

    /// <summary>Without captions one PNG of the grid; with captions one captioned figure per image.</summary>
    public string ToHtml()
    {
        if (Captions is null)
        {
            var grid = ToImage();
            int? width = DisplayWidth is { } w ? (int)Math.Round((double)grid.Width * w / Tiles.Max(t => t.Width)) : null;
            return $"<div class=\"folk-view\">{Html.Image(Png.Encode(grid), grid.Width, grid.Height, ToString(), width)}</div>";
        }
        var tileWidth = DisplayWidth ?? Tiles.Max(t => t.Width);
        var figures = Tiles.Select((t, i) => Html.Figure(Html.Image(t, Captions[i], DisplayWidth), Captions[i]));
        return $"<div class=\"folk-view\" style=\"display:grid;grid-template-columns:repeat({Columns},{tileWidth}px);gap:6px\">{string.Concat(figures)}</div>";
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ImageGrid: {Tiles.Count} image(s) {Tiles[0].Width}×{Tiles[0].Height}, {Columns} column(s)" + (Captions is null ? "" : $": {string.Join(", ", Captions.Take(8))}{(Captions.Count > 8 ? ", …" : "")}");
}
