using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// Binary cross-entropy over classes, each class a one-vs-all problem, as timm's <c>BinaryCrossEntropy</c>
/// (<c>timm/loss/binary_cross_entropy.py</c>) runs it in the "ResNet strikes back" recipes (arXiv 2110.00476, §3:
/// BCE with Mixup/CutMix targets, smoothing 0): soft targets (Mixup's mixtures) are first binarised at
/// <c>targets &gt; threshold</c>, so both classes of a mixed pair are positives unless one dominates; then
/// <c>mean over b, k of −[t log σ(x) + (1 − t) log(1 − σ(x))]</c> (<c>reduction='mean'</c>: over B×K elements).
/// Pure and stateless.
/// </summary>
public static class BinaryCrossEntropy
{
    /// <summary>The RSB recipes' threshold (timm <c>--bce-target-thresh 0.2</c>).</summary>
    public const double DefaultTargetThreshold = 0.2;

    /// <summary>The loss, a float32 scalar.</summary>
    /// <param name="logits">B×K class scores (any float dtype; computed in float32).</param>
    /// <param name="targets">B×K targets in [0, 1] (one-hot or Mixup mixtures).</param>
    /// <param name="targetThreshold">Binarise targets at <c>t &gt; threshold</c>; null keeps them soft.</param>
    public static Tensor Compute(Tensor logits, Tensor targets, double? targetThreshold = DefaultTargetThreshold)
    {
        Guard.ScoresAndTargets(logits, targets);
        using var scope = NewDisposeScope();
        var t = targets.to(ScalarType.Float32);
        if (targetThreshold is { } threshold) t = t.gt(threshold).to(ScalarType.Float32);
        return nn.functional.binary_cross_entropy_with_logits(logits.to(ScalarType.Float32), t).MoveToOuterDisposeScope();
    }
}
