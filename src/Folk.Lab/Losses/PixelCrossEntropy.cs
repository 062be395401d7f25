using Folk.Lab.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Losses;

/// <summary>
/// The per-pixel cross-entropy of mmsegmentation's decode heads (open-mmlab/mmsegmentation
/// <c>mmseg/models/decode_heads/decode_head.py</c>, <c>BaseDecodeHead.losses</c>, and
/// <c>mmseg/models/losses/cross_entropy_loss.py</c>): the logits are upsampled bilinearly (<c>align_corners=False</c>)
/// to the label map's size, every pixel's cross-entropy is taken, ignored pixels contribute 0, and the mean runs over
/// all B·H·W pixels, ignored ones included (the reference's default <c>avg_non_ignore=False</c>; PyTorch's own mean
/// would divide by the labelled pixels only).
/// </summary>
public static class PixelCrossEntropy
{
    /// <summary>The loss of <paramref name="logits"/> (B×K×h×w, any float dtype) against <paramref name="labels"/>
    /// (B×H×W int64, classes 0…K−1 or <see cref="SegmentationLabels.Ignore"/>), on their common device; a float32 scalar.</summary>
    public static Tensor Compute(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 4) throw new ArgumentException($"logits must be B×K×h×w; got {Shape.Format(logits)}.", nameof(logits));
        if (labels.dim() != 3 || labels.shape[0] != logits.shape[0] || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"labels must be B×H×W int64 with B = {logits.shape[0]}; got {Shape.Format(labels)} {labels.dtype}.", nameof(labels));
        Guard.SameDevice(logits, nameof(logits), labels, nameof(labels));
        using var scope = NewDisposeScope();
        var resized = interpolate(logits.to(ScalarType.Float32), new[] { labels.shape[1], labels.shape[2] }, mode: InterpolationMode.Bilinear, align_corners: false);
        var perPixel = cross_entropy(resized, labels, ignore_index: SegmentationLabels.Ignore, reduction: nn.Reduction.None);
        return perPixel.mean().MoveToOuterDisposeScope();
    }
}
