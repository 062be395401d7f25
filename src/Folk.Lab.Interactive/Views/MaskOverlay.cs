using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Masks;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// A frequency mask over the spectrum it filters: kept frequencies in the spectrum's colours, removed ones in dim grey,
/// so the shape of the mask and what it takes away read at once; the kept fraction is in the caption.
/// </summary>
/// <param name="Overlay">The composed picture.</param>
/// <param name="KeptFraction">Fraction of frequencies kept (averaged over channels for per-channel masks).</param>
/// <param name="Description">What was sampled (e.g. "LowPass(16)"), or null.</param>
/// <param name="DisplaySize">Shown width in CSS pixels.</param>
public sealed record MaskOverlay(RgbImage Overlay, double KeptFraction, string? Description, int DisplaySize)
{
    /// <summary>How much of a removed frequency's brightness is left.</summary>
    public const double RemovedBrightness = 0.3;

    /// <summary>The overlay of <paramref name="mask"/> on the spectrum of <paramref name="image"/>.</summary>
    /// <param name="image">C×H×W in [0,1].</param>
    /// <param name="mask">H×W or C×H×W, shifted layout, 1 = kept (fractions blend).</param>
    /// <param name="description">Caption text, e.g. the <see cref="MaskSample"/>.</param>
    /// <param name="displaySize">Shown width (default: at least 256).</param>
    public static MaskOverlay Of(Tensor image, Tensor mask, string? description = null, int? displaySize = null)
    {
        if (image.dim() != 3) throw new ArgumentException($"image must be C×H×W; got shape [{string.Join("×", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        var kept = (mask.dim() == 3 ? mask.to(ScalarType.Float64).mean(new long[] { 0 }) : mask.to(ScalarType.Float64)).cpu();
        if (kept.shape[0] != image.shape[1] || kept.shape[1] != image.shape[2])
            throw new ArgumentException($"mask must be H×W like the image ({image.shape[1]}×{image.shape[2]}); got [{string.Join("×", mask.shape)}].", nameof(mask));
        var magnitude = Spectrum.LogMagnitude(Spectrum.Centered(image.detach().cpu())).mean(new long[] { 0 }).to(ScalarType.Float64);
        var colour = RgbImage.Heatmap(magnitude, Colormap.Spectral);
        var grey = RgbImage.Heatmap(magnitude, Colormap.Gray);
        var weights = kept.data<double>().ToArray();
        var pixels = new byte[colour.Pixels.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            double k = weights[i];
            for (int c = 0; c < 3; c++)
                pixels[3 * i + c] = (byte)Math.Round(k * colour.Pixels[3 * i + c] + (1 - k) * RemovedBrightness * grey.Pixels[3 * i + c]);
        }
        var overlay = new RgbImage(colour.Width, colour.Height, pixels);
        return new MaskOverlay(overlay, weights.Average(), description, displaySize ?? Math.Max(256, overlay.Width));
    }

    /// <summary>The overlay of image <paramref name="index"/> of a batch and its sampled mask.</summary>
    public static MaskOverlay Of(Tensor images, MaskBatch masks, int index = 0, int? displaySize = null) =>
        Of(images[index], masks.Masks[index], masks.Samples[index].ToString(), displaySize);

    /// <summary>The caption: what was sampled and the kept fraction.</summary>
    public string Caption => (Description is null ? "" : Description + " · ") + $"kept {Html.Percent(KeptFraction)}";

    /// <summary>The overlay on frequency axes with its caption.</summary>
    public string ToHtml() =>
        $"<div class=\"folk-view\">{FrequencyAxes.Frame(Overlay, Caption, DisplaySize, "mask over spectrum: " + Caption)}</div>";

    /// <inheritdoc/>
    public override string ToString() => $"MaskOverlay {Overlay.Width}×{Overlay.Height}: {Caption}";
}
