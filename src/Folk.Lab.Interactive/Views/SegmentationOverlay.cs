using Folk.Lab.Interactive.Rendering;
using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// A segmentation result at a glance: the image, its ground truth and the prediction side by side, the maps in the
/// ADE20K palette (<see cref="SegmentationPalette"/>; ignored pixels black), with the pixel accuracy of this image
/// under the prediction and a legend of the classes that appear.
/// </summary>
/// <param name="Image">The photograph.</param>
/// <param name="Truth">The ground-truth map in the palette.</param>
/// <param name="Prediction">The predicted map in the palette.</param>
/// <param name="PixelAccuracy">Correct pixels over labelled (not ignored) pixels of this image; NaN when none is labelled.</param>
/// <param name="Legend">The classes present in either map, by label, with their names where given.</param>
/// <param name="DisplayWidth">Shown width of each panel in CSS pixels.</param>
public sealed record SegmentationOverlay(RgbImage Image, RgbImage Truth, RgbImage Prediction, double PixelAccuracy,
                                         IReadOnlyList<(long Label, string Name)> Legend, int DisplayWidth)
{
    /// <summary>Classes listed in the legend at most (the most frequent in the ground truth first).</summary>
    public const int LegendSize = 12;

    /// <summary>The view of one image, its true map and a prediction.</summary>
    /// <param name="image">C×H×W (C = 1 or 3) in [0,1], or normalised with <paramref name="mean"/> and <paramref name="std"/>.</param>
    /// <param name="truth">H×W class labels (255 = ignored).</param>
    /// <param name="prediction">H×W class labels, or K×H×W logits (their arg-max is shown).</param>
    /// <param name="classes">Class names by label, for the legend (null: numbers).</param>
    /// <param name="mean">Per-channel mean of a normalised image (e.g. ImageNetNormalization.Mean).</param>
    /// <param name="std">Per-channel std of a normalised image.</param>
    /// <param name="displayWidth">Shown panel width (default: at least 192).</param>
    public static SegmentationOverlay Of(Tensor image, Tensor truth, Tensor prediction, IReadOnlyList<string>? classes = null,
        IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null, int? displayWidth = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        if ((mean is null) != (std is null)) throw new ArgumentException("Give both mean and std to un-normalise, or neither.", nameof(mean));
        using var scope = NewDisposeScope();
        var predicted = prediction.dim() == 3 ? prediction.argmax(0) : prediction;
        if (image.dim() != 3 || truth.dim() != 2 || predicted.dim() != 2
            || truth.shape[0] != image.shape[1] || truth.shape[1] != image.shape[2] || !predicted.shape.SequenceEqual(truth.shape))
            throw new ArgumentException(
                $"image must be C×H×W, truth H×W and prediction H×W (or K×H×W logits) over the same pixels; got [{string.Join("×", image.shape)}], [{string.Join("×", truth.shape)}] and [{string.Join("×", prediction.shape)}].",
                nameof(prediction));
        var t = truth.detach().to(ScalarType.Int64).cpu().data<long>().ToArray();
        var p = predicted.detach().to(ScalarType.Int64).cpu().data<long>().ToArray();
        long labelled = t.Count(v => v != SegmentationPalette.Ignore);
        long correct = t.Zip(p).Count(pair => pair.First != SegmentationPalette.Ignore && pair.First == pair.Second);
        var legend = t.Where(v => v != SegmentationPalette.Ignore).GroupBy(v => v).OrderByDescending(g => g.LongCount()).Select(g => g.Key)
            .Concat(p.Distinct().Order())
            .Distinct().Take(LegendSize)
            .Select(label => (label, classes is not null && label < classes.Count ? classes[(int)label] : label.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var picture = RgbImage.FromTensor(image, mean, std);
        return new SegmentationOverlay(picture, SegmentationPalette.Render(truth), SegmentationPalette.Render(predicted),
            labelled == 0 ? double.NaN : (double)correct / labelled, legend, displayWidth ?? Math.Max(192, picture.Width));
    }

    /// <summary>The caption of the prediction panel.</summary>
    public string PredictionCaption => double.IsNaN(PixelAccuracy) ? "prediction" : $"prediction · pixel accuracy {Html.Percent(PixelAccuracy)}";

    /// <summary>Three captioned panels and the legend's colour swatches.</summary>
    public string ToHtml()
    {
        var panels = new[]
        {
            Html.Figure(Html.Image(Image, "image", DisplayWidth), "image", DisplayWidth),
            Html.Figure(Html.Image(Truth, "ground truth", DisplayWidth), "ground truth", DisplayWidth),
            Html.Figure(Html.Image(Prediction, PredictionCaption, DisplayWidth), PredictionCaption, DisplayWidth),
        };
        var swatches = string.Concat(Legend.Select(entry =>
        {
            var (r, g, b) = SegmentationPalette.Colour(entry.Label);
            return $"<span style=\"display:inline-flex;align-items:center;margin-right:10px\"><span style=\"display:inline-block;width:12px;height:12px;margin-right:4px;background:rgb({r},{g},{b})\"></span>{Html.Encode(entry.Name)}</span>";
        }));
        return Html.Row(panels) + $"<div class=\"folk-view\" style=\"{Html.Font};margin-top:4px\">{swatches}</div>";
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"SegmentationOverlay {Image.Width}×{Image.Height}: {PredictionCaption}; classes {string.Join(", ", Legend.Select(l => l.Name))}";
}
