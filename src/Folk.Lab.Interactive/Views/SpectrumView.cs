using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Rendering;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// The centred spectrum of one image: log-magnitude <c>log(1 + |X|)</c> as a heatmap with a perceptual colormap and a
/// colour bar, optionally the phase beside it (a cyclic map), on axes in cycles per image with DC in the middle.
/// Channels are averaged (magnitude per channel, then the mean), so colour images show one spectrum.
/// </summary>
/// <param name="Magnitude">The log-magnitude heatmap.</param>
/// <param name="Lo">Value at the bottom of the colour scale.</param>
/// <param name="Hi">Value at the top of the colour scale.</param>
/// <param name="Phase">The phase heatmap (−π … π), or null.</param>
/// <param name="Colormap">The magnitude colormap.</param>
/// <param name="Title">Shown above the magnitude.</param>
/// <param name="DisplaySize">Shown width in CSS pixels.</param>
public sealed record SpectrumView(RgbImage Magnitude, double Lo, double Hi, RgbImage? Phase, Colormap Colormap, string Title, int DisplaySize)
{
    /// <summary>The spectrum of an image.</summary>
    /// <param name="image">H×W, C×H×W or B×C×H×W (the first image is shown), real.</param>
    /// <param name="phase">Also show the phase.</param>
    /// <param name="colormap">Magnitude colormap (default <see cref="Colormap.Spectral"/>).</param>
    /// <param name="title">Title above the magnitude.</param>
    /// <param name="displaySize">Shown width (default: the image width, at least 256).</param>
    public static SpectrumView Of(Tensor image, bool phase = false, Colormap? colormap = null, string title = "log-magnitude spectrum", int? displaySize = null)
    {
        using var scope = NewDisposeScope();
        var x = image.dim() switch
        {
            2 => image.unsqueeze(0),
            3 => image,
            4 => image[0],
            _ => throw new ArgumentException($"image must be H×W, C×H×W or B×C×H×W; got shape [{string.Join("×", image.shape)}].", nameof(image)),
        };
        var centered = Spectrum.Centered(x.detach().cpu());
        return FromCentered(centered, phase, colormap, title, displaySize);
    }

    /// <summary>The view of an already centred spectrum (C×H×W or H×W complex, from <see cref="Spectrum.Centered"/>).</summary>
    public static SpectrumView FromCentered(Tensor centered, bool phase = false, Colormap? colormap = null, string title = "log-magnitude spectrum", int? displaySize = null)
    {
        using var scope = NewDisposeScope();
        var c = centered.dim() == 2 ? centered.unsqueeze(0) : centered;
        colormap ??= Colormap.Spectral;
        var magnitude = Spectrum.LogMagnitude(c).mean(new long[] { 0 }).to(ScalarType.Float64);
        double lo = magnitude.min().item<double>(), hi = magnitude.max().item<double>();
        var magnitudeImage = RgbImage.Heatmap(magnitude, colormap, lo, hi);
        var phaseImage = phase ? RgbImage.Heatmap(Spectrum.Phase(c.mean(new long[] { 0 })), Colormap.Cyclic, -Math.PI, Math.PI) : null;
        return new SpectrumView(magnitudeImage, lo, hi, phaseImage, colormap, title, displaySize ?? Math.Max(256, magnitudeImage.Width));
    }

    /// <summary>Magnitude with axes and colour bar, then the phase if requested.</summary>
    public string ToHtml()
    {
        int height = (int)Math.Round((double)Magnitude.Height * DisplaySize / Magnitude.Width);
        var parts = new List<string>
        {
            FrequencyAxes.Frame(Magnitude, Title, DisplaySize),
            Colorbar.Html(Colormap, Lo, Hi, "log(1+|X|)", height),
        };
        if (Phase is not null)
        {
            parts.Add(FrequencyAxes.Frame(Phase, "phase", DisplaySize));
            parts.Add(Colorbar.Html(Colormap.Cyclic, -Math.PI, Math.PI, "radians", height));
        }
        return $"<div class=\"folk-view\" style=\"display:flex;flex-wrap:wrap;gap:6px\">{string.Concat(parts)}</div>";
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"SpectrumView: {Magnitude.Width}×{Magnitude.Height}, log(1+|X|) from {Lo:g4} to {Hi:g4} ({Colormap.Name})" + (Phase is null ? "" : ", with phase");
}
