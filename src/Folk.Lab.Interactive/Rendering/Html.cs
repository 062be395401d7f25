using System.Globalization;
using System.Net;

namespace Folk.Lab.Interactive.Rendering;

/// <summary>
/// The few HTML fragments the views share. Every fragment styles itself inline: notebook outputs are inserted into
/// pages whose style sheets the views do not control (Jupyter, VS Code, an exported report).
/// </summary>
public static class Html
{
    /// <summary>The font stack of captions and tables.</summary>
    public const string Font = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px;color:#222";

    /// <summary>HTML-encodes text.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>An <c>img</c> element holding <paramref name="image"/> as an inline PNG, shown
    /// <paramref name="displayWidth"/> pixels wide (its own width by default) without smoothing when enlarged.</summary>
    public static string Image(RgbImage image, string alt, int? displayWidth = null) => Image(Png.Encode(image), image.Width, image.Height, alt, displayWidth);

    /// <summary>An <c>img</c> element for already encoded PNG bytes.</summary>
    public static string Image(byte[] png, int width, int height, string alt, int? displayWidth = null)
    {
        int w = displayWidth ?? width;
        int h = (int)Math.Round((double)height * w / width);
        string pixelated = w > width ? "image-rendering:pixelated;" : "";
        return $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{w}\" height=\"{h}\" alt=\"{Encode(alt)}\" style=\"{pixelated}display:block\">";
    }

    /// <summary>A captioned figure (caption below, centred).</summary>
    public static string Figure(string content, string caption, int? width = null) =>
        $"<figure style=\"margin:0;display:inline-block;vertical-align:top;text-align:center;{Font}\">{content}" +
        $"<figcaption style=\"margin-top:3px;{(width is { } w ? $"width:{w}px" : "max-width:100%")}\">{Encode(caption)}</figcaption></figure>";

    /// <summary>Figures in a wrapping row, optionally with a title line above.</summary>
    public static string Row(IEnumerable<string> figures, string? title = null, int gap = 8)
    {
        var head = title is null ? "" : $"<div style=\"{Font};font-weight:600;margin-bottom:4px\">{Encode(title)}</div>";
        return $"<div class=\"folk-view\">{head}<div style=\"display:flex;flex-wrap:wrap;gap:{gap}px;align-items:flex-start\">{string.Concat(figures)}</div></div>";
    }

    /// <summary>A number with invariant formatting.</summary>
    public static string Number(double value, string format = "g4") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage, e.g. 0.0158 → "1.58 %".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString(fraction < 0.1 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " %";
}
