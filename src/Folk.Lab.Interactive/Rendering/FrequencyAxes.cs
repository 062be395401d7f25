using System.Text;

namespace Folk.Lab.Interactive.Rendering;

/// <summary>
/// A centred spectrum image framed with frequency axes in cycles per image: column j of an N-wide centred spectrum is
/// frequency j − ⌊N/2⌋ (DC in the middle, <see cref="Folk.Lab.Frequency.FrequencyGrid"/>'s convention).
/// </summary>
public static class FrequencyAxes
{
    /// <summary>The image at <paramref name="displaySize"/> CSS pixels wide with ticks below and left, titled above.</summary>
    public static string Frame(RgbImage image, string title, int displaySize, string? alt = null)
    {
        int w = displaySize, h = (int)Math.Round((double)image.Height * w / image.Width);
        var html = new StringBuilder();
        html.Append($"<div style=\"display:inline-block;vertical-align:top;{Html.Font}\">")
            .Append($"<div style=\"text-align:center;margin-left:34px;font-weight:600\">{Html.Encode(title)}</div>")
            .Append("<div style=\"display:flex\">")
            .Append($"<div style=\"position:relative;width:30px;height:{h}px;margin-right:4px\">");
        foreach (var (f, at) in Ticks(image.Height))
            html.Append($"<span style=\"position:absolute;right:2px;top:{at * h - 7:F1}px;font-size:10px\">{-f}</span>");
        html.Append("</div><div>")
            .Append(Html.Image(image, alt ?? title, w))
            .Append($"<div style=\"position:relative;height:14px;width:{w}px\">");
        foreach (var (f, at) in Ticks(image.Width))
            html.Append($"<span style=\"position:absolute;left:{at * w - 10:F1}px;width:20px;text-align:center;font-size:10px\">{f}</span>");
        html.Append($"</div><div style=\"text-align:center;font-size:10px;color:#666\">cycles per image</div></div></div></div>");
        return html.ToString();
    }

    /// <summary>Tick frequencies and their positions (0–1 along the axis, at pixel centres) for an axis of
    /// <paramref name="length"/> samples: −N/2, −N/4, 0, N/4 and the last, N/2 − 1 (or (N−1)/2 when odd).</summary>
    public static IReadOnlyList<(long Frequency, double Position)> Ticks(long length)
    {
        long centre = length / 2, last = length - 1 - centre;
        var frequencies = new SortedSet<long> { -centre, -centre / 2, 0, last / 2 >= 1 ? (centre / 2) : 0, last };
        return frequencies.Where(f => f + centre >= 0 && f + centre < length)
            .Select(f => (f, (f + centre + 0.5) / length)).ToList();
    }
}
