using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>
/// AdamW with decoupled weight decay, exactly PyTorch's <c>torch.optim.AdamW</c> update:
/// <c>p ← p·(1 − lr·wd)</c>; <c>m ← β₁m + (1−β₁)g</c>; <c>v ← β₂v + (1−β₂)g²</c>;
/// <c>p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)</c>.
/// Written here (not TorchSharp's) so that its whole state is a set of named tensors a checkpoint can hold, and so
/// that per-group rates follow the schedule. Defaults: MFM's pre-training betas (0.9, 0.95), eps 1e-8
/// (configs/*/mfm_pretrain__*.yaml TRAIN.OPTIMIZER).
/// </summary>
public sealed class AdamW(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.95, double epsilon = 1e-8)
    : AdaptiveOptimizer(groups, beta1, beta2, epsilon)
{
    /// <summary>One update in which each group's rate is <paramref name="rateForScale"/> of its
    /// <see cref="ParameterGroup.LearningRateScale"/> (a schedule whose peak alone scales, as MFM's fine-tuning runs
    /// layer-wise decay: see <see cref="Schedules.WarmupCosine.ForScale"/>). Parameters without a gradient are skipped
    /// (their moments still count the step, as t is global).</summary>
    public override void Step(Func<double, double> rateForScale)
    {
        Steps++;
        var (b1, b2) = Betas;
        double correction1 = 1 - Math.Pow(b1, Steps), correction2Sqrt = Math.Sqrt(1 - Math.Pow(b2, Steps));
        using var noGrad = no_grad();
        // Every scalar is held in a variable for the whole loop: a temporary converted from a double
        // can be finalised while libtorch still reads it.
        using Scalar beta1 = b1, beta2 = b2, keep1 = 1 - b1, keep2 = 1 - b2, root2 = correction2Sqrt, epsilon = Epsilon;
        foreach (var group in Groups)
        {
            double lr = rateForScale(group.LearningRateScale);
            using Scalar decay = 1 - lr * group.WeightDecay, step = -lr / correction1;
            foreach (var (name, p) in group.Parameters)
            {
                var grad = p.grad;
                if (grad is null) continue;
                var (m, v) = Moments(name);
                if (group.WeightDecay != 0) p.mul_(decay);
                m.mul_(beta1).add_(grad, alpha: keep1);
                v.mul_(beta2).addcmul_(grad, grad, value: keep2);
                using var denominator = v.sqrt().div_(root2).add_(epsilon);
                p.addcdiv_(m, denominator, value: step);
            }
        }
    }
}
