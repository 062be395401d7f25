using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Rendering;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// MFM's pretext task in one row: image → spectrum → mask over the spectrum → filtered image → the model's
/// reconstruction → the spectrum of the error (what the reconstruction still gets wrong, frequency by frequency).
/// </summary>
/// <param name="Panels">The pictures with their captions, in story order.</param>
/// <param name="KeptFraction">Fraction of frequencies the mask kept.</param>
/// <param name="DisplaySize">Shown width of each panel in CSS pixels.</param>
public sealed record CorruptionStory(IReadOnlyList<(RgbImage Image, string Caption)> Panels, double KeptFraction, int DisplaySize)
{
    /// <summary>Tells the story of one image.</summary>
    /// <param name="image">C×H×W in [0,1].</param>
    /// <param name="mask">H×W (or C×H×W), shifted layout, 1 = kept.</param>
    /// <param name="reconstruction">The model's output for the filtered image (C×H×W in [0,1]), or null: the error
    /// spectrum is then that of the filtered image.</param>
    /// <param name="description">What was sampled (e.g. "LowPass(16)").</param>
    /// <param name="displaySize">Shown width of each panel.</param>
    public static CorruptionStory Of(Tensor image, Tensor mask, Tensor? reconstruction = null, string? description = null, int displaySize = 160)
    {
        if (image.dim() != 3) throw new ArgumentException($"image must be C×H×W; got shape [{string.Join("×", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        var x = image.detach().cpu().to(ScalarType.Float32);
        var m = mask.detach().cpu();
        var filtered = FrequencyFilter.Apply(x.unsqueeze(0), m.dim() == 3 ? m.unsqueeze(0) : m)[0];
        var overlay = MaskOverlay.Of(x, m, description);
        var spectrum = Spectrum.Centered(x);
        var panels = new List<(RgbImage, string)>
        {
            (RgbImage.FromTensor(x), "image"),
            (RgbImage.Heatmap(Spectrum.LogMagnitude(spectrum).mean(new long[] { 0 })), "spectrum log(1+|X|)"),
            (overlay.Overlay, "mask: " + overlay.Caption),
            (RgbImage.FromTensor(filtered), "filtered (encoder input)"),
        };
        var predicted = filtered;
        if (reconstruction is not null)
        {
            predicted = reconstruction.detach().cpu().to(ScalarType.Float32);
            if (!predicted.shape.SequenceEqual(x.shape))
                throw new ArgumentException($"reconstruction must be shaped like the image ([{string.Join("×", x.shape)}]); got [{string.Join("×", predicted.shape)}].", nameof(reconstruction));
            panels.Add((RgbImage.FromTensor(predicted), "reconstruction"));
        }
        var error = Spectrum.LogMagnitude(Spectrum.Centered(predicted) - spectrum).mean(new long[] { 0 });
        panels.Add((RgbImage.Heatmap(error), reconstruction is null ? "error spectrum (filtered − image)" : "error spectrum (reconstruction − image)"));
        return new CorruptionStory(panels, overlay.KeptFraction, displaySize);
    }

    /// <summary>The panels in a row, with arrows between them.</summary>
    public string ToHtml()
    {
        var figures = Panels.Select((p, i) =>
            (i == 0 ? "" : "<div style=\"align-self:center;font-size:20px;color:#888\">→</div>")
            + Html.Figure(Html.Image(p.Image, p.Caption, DisplaySize), p.Caption, DisplaySize));
        return Html.Row(figures, $"The corruption story · kept {Html.Percent(KeptFraction)} of the frequencies", gap: 4);
    }

    /// <inheritdoc/>
    public override string ToString() => $"CorruptionStory: {string.Join(" → ", Panels.Select(p => p.Caption))}";
}
