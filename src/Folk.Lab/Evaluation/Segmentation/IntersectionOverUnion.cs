using Folk.Lab.Data;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>What a segmenter scored on a data set (fractions in [0, 1]; NaN for a class it cannot be computed for).</summary>
/// <param name="MeanIoU">mIoU: the mean of <paramref name="ClassIoU"/> over the classes that are not NaN.</param>
/// <param name="PixelAccuracy">aAcc: correctly labelled pixels over labelled pixels, over the whole data set.</param>
/// <param name="MeanAccuracy">mAcc: the mean of <paramref name="ClassAccuracy"/> over the classes that are not NaN.</param>
/// <param name="ClassIoU">Per class, intersection / union over the whole data set; NaN where the class is absent from
/// both the ground truth and the prediction.</param>
/// <param name="ClassAccuracy">Per class, intersection / the class's labelled pixels; NaN where it has none.</param>
/// <param name="Pixels">Labelled (not ignored) pixels scored.</param>
/// <param name="Images">Images scored.</param>
public sealed record SegmentationScore(double MeanIoU, double PixelAccuracy, double MeanAccuracy, IReadOnlyList<double> ClassIoU,
                                       IReadOnlyList<double> ClassAccuracy, long Pixels, int Images);

/// <summary>
/// mIoU and pixel accuracy as mmsegmentation computes them (open-mmlab/mmsegmentation
/// <c>mmseg/core/evaluation/metrics.py</c>, <c>intersect_and_union</c> and <c>total_area_to_metrics</c>): per image,
/// the pixels labelled <see cref="SegmentationLabels.Ignore"/> are dropped from both maps, and per class the intersection
/// (pixels where prediction and truth agree on it), the predicted area and the true area are added to data-set totals;
/// at the end IoU = intersection / (predicted + true − intersection) per class, mIoU is their mean over the classes
/// that are not NaN (<c>np.nanmean</c>: a class absent from both truth and prediction everywhere is left out, while a
/// class predicted but never true counts 0), and aAcc = Σ intersection / Σ true area.
/// </summary>
public sealed class IntersectionOverUnion
{
    readonly long[] _intersection, _predicted, _truth;

    /// <summary>Number of classes K.</summary>
    public int Classes { get; }

    /// <summary>Images added so far.</summary>
    public int Images { get; private set; }

    /// <summary>An empty accumulator for <paramref name="classes"/> classes.</summary>
    public IntersectionOverUnion(int classes)
    {
        Guard.Positive(classes, nameof(classes));
        Classes = classes;
        (_intersection, _predicted, _truth) = (new long[classes], new long[classes], new long[classes]);
    }

    /// <summary>Adds one image's (or a batch's) predicted map and true map (same shape, int64, on one device;
    /// predictions 0…K−1, truth 0…K−1 or <see cref="SegmentationLabels.Ignore"/>).</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ, or a label is out of range.</exception>
    public void Add(Tensor prediction, Tensor truth)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truth);
        Guard.SameShape(prediction, nameof(prediction), truth, nameof(truth));
        Guard.SameDevice(prediction, nameof(prediction), truth, nameof(truth));
        if (prediction.dtype != ScalarType.Int64 || truth.dtype != ScalarType.Int64)
            throw new ArgumentException($"prediction and truth must be int64 class maps; got {prediction.dtype} and {truth.dtype}.", nameof(truth));
        using var scope = NewDisposeScope();
        var labelled = truth.ne(SegmentationLabels.Ignore);
        var p = prediction.masked_select(labelled);
        var t = truth.masked_select(labelled);
        if (t.numel() > 0)
        {
            long lowest = Math.Min(p.min().item<long>(), t.min().item<long>()), highest = Math.Max(p.max().item<long>(), t.max().item<long>());
            if (lowest < 0 || highest >= Classes)
                throw new ArgumentException($"class indices must be in [0, {Classes}) (or {SegmentationLabels.Ignore} in the truth); found {(lowest < 0 ? lowest : highest)}.", nameof(truth));
        }
        Accumulate(_intersection, p.masked_select(p.eq(t)));
        Accumulate(_predicted, p);
        Accumulate(_truth, t);
        Images += (int)(truth.dim() == 3 ? truth.shape[0] : 1);
    }

    void Accumulate(long[] totals, Tensor labels)
    {
        var counts = labels.bincount(null, Classes).cpu().data<long>().ToArray();
        for (int k = 0; k < Classes; k++) totals[k] += counts[k];
    }

    /// <summary>The scores of everything added so far.</summary>
    public SegmentationScore Result()
    {
        var iou = new double[Classes];
        var accuracy = new double[Classes];
        for (int k = 0; k < Classes; k++)
        {
            long union = _predicted[k] + _truth[k] - _intersection[k];
            iou[k] = union == 0 ? double.NaN : (double)_intersection[k] / union;
            accuracy[k] = _truth[k] == 0 ? double.NaN : (double)_intersection[k] / _truth[k];
        }
        long pixels = _truth.Sum();
        return new SegmentationScore(NanMean(iou), pixels == 0 ? double.NaN : (double)_intersection.Sum() / pixels, NanMean(accuracy), iou, accuracy, pixels, Images);
    }

    static double NanMean(double[] values)
    {
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        return present.Length == 0 ? double.NaN : present.Average();
    }
}
