using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// Cross-entropy with label smoothing ε against hard labels (timm 0.4.12 <c>timm/loss/cross_entropy.py</c>
/// <c>LabelSmoothingCrossEntropy</c>): <c>mean_b [(1 − ε)·(−log p_b,y_b) + ε·mean_k(−log p_b,k)]</c>, which equals the
/// cross-entropy against the target <c>(1 − ε)·onehot(y) + ε / K</c> and PyTorch's
/// <c>cross_entropy(x, y, label_smoothing=ε)</c>. MFM's main_finetune.py trains with it when Mixup is off; with hard
/// labels it is also the smoothed loss an evaluation can report. Pure and stateless.
/// </summary>
public static class LabelSmoothingCrossEntropy
{
    /// <summary>The loss, a float32 scalar.</summary>
    /// <param name="logits">B×K class scores (any float dtype; computed in float32).</param>
    /// <param name="labels">B int64 class indices in [0, K).</param>
    /// <param name="smoothing">ε in [0, 1) (MFM config.py <c>_C.MODEL.LABEL_SMOOTHING = 0.1</c>, timm's default too);
    /// 0 gives the plain cross-entropy.</param>
    public static Tensor Compute(Tensor logits, Tensor labels, double smoothing = 0.1)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2)
            throw new ArgumentException($"logits must be B×K; got shape {Shape.Format(logits)}.", nameof(logits));
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.shape[0] != logits.shape[0])
            throw new ArgumentException($"labels must be {logits.shape[0]} int64 class indices; got shape {Shape.Format(labels)} and {labels.dtype}.", nameof(labels));
        if (!(smoothing >= 0 && smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"smoothing must be in [0, 1); got {smoothing}.");
        Guard.SameDevice(logits, nameof(logits), labels, nameof(labels));
        using var scope = NewDisposeScope();
        if (labels.numel() > 0)
        {
            long min = labels.min().item<long>(), max = labels.max().item<long>();
            if (min < 0 || max >= logits.shape[1])
                throw new ArgumentOutOfRangeException(nameof(labels), $"labels must lie in [0, {logits.shape[1]}); got values from {min} to {max}.");
        }
        var logProbabilities = nn.functional.log_softmax(logits.to(ScalarType.Float32), -1);
        var nll = -logProbabilities.gather(-1, labels.unsqueeze(1)).squeeze(1);
        var uniform = -logProbabilities.mean(new long[] { -1 });
        return ((1 - smoothing) * nll + smoothing * uniform).mean().MoveToOuterDisposeScope();
    }
}
