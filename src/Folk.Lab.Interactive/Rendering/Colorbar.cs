namespace Folk.Lab.Interactive.Rendering;

/// <summary>A vertical colour scale for a heatmap: the colormap from <c>lo</c> (bottom) to <c>hi</c> (top), labelled.</summary>
public static class Colorbar
{
    /// <summary>The bar as a 12-pixel-wide image, top = 1, bottom = 0.</summary>
    public static RgbImage Image(Colormap colormap, int height)
    {
        const int width = 12;
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            var (r, g, b) = colormap[1 - (double)y / Math.Max(1, height - 1)];
            for (int x = 0; x < width; x++)
            {
                int i = 3 * (y * width + x);
                pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b;
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>The bar with its top, middle and bottom values and a label, <paramref name="height"/> CSS pixels tall.</summary>
    public static string Html(Colormap colormap, double lo, double hi, string label, int height)
    {
        string Tick(double v, double at) =>
            $"<span style=\"position:absolute;left:16px;top:{at * height - 7:F1}px;font-size:10px\">{Rendering.Html.Number(v, "0.##")}</span>";
        return $"<div style=\"display:inline-block;vertical-align:top;margin-top:16px;{Rendering.Html.Font}\">"
            + $"<div style=\"position:relative;width:52px;height:{height}px\">"
            + Rendering.Html.Image(Image(colormap, height), $"{colormap.Name} colour scale")
            + Tick(hi, 0) + Tick((lo + hi) / 2, 0.5) + Tick(lo, 1)
            + $"</div><div style=\"font-size:10px;color:#666;max-width:60px\">{Rendering.Html.Encode(label)}</div></div>";
    }
}
