using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// Cross-entropy against soft targets, <c>mean_b Σ_k −t_bk · log_softmax(x_b)_k</c> (timm 0.4.12
/// <c>timm/loss/cross_entropy.py</c> <c>SoftTargetCrossEntropy</c>): the fine-tuning loss of MFM when Mixup is on
/// (main_finetune.py: "smoothing is handled with mixup label transform"), with the targets of
/// <see cref="Data.Transforms.Mixup"/>. Pure and stateless.
/// </summary>
public static class SoftTargetCrossEntropy
{
    /// <summary>The loss, a float32 scalar.</summary>
    /// <param name="logits">B×K class scores (any float dtype; computed in float32).</param>
    /// <param name="targets">B×K target distributions (rows summing to 1; not checked).</param>
    public static Tensor Compute(Tensor logits, Tensor targets)
    {
        Guard.ScoresAndTargets(logits, targets);
        using var scope = NewDisposeScope();
        var logProbabilities = nn.functional.log_softmax(logits.to(ScalarType.Float32), -1);
        return (-targets.to(ScalarType.Float32) * logProbabilities).sum(-1).mean().MoveToOuterDisposeScope();
    }
}
