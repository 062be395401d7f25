using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>
/// LAMB (You et al. 2019, arXiv 1904.00962) as timm's <c>timm/optim/lamb.py</c> runs it with its defaults, which the
/// "ResNet strikes back" recipes use (Wightman et al. 2021, arXiv 2110.00476, Table 1):
/// <list type="number">
/// <item>the gradients are divided by max(1, ‖g‖ / 1.0), ‖g‖ the global norm over every parameter
/// (<c>max_grad_norm = 1.0</c>, applied inside the optimiser whatever the trainer's clipping);</item>
/// <item><c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>;
/// <c>u = (m / (1−β₁ᵗ)) / (√v / √(1−β₂ᵗ) + ε)</c>;</item>
/// <item>for a group with weight decay λ ≠ 0: <c>u ← u + λp</c>, then the trust ratio <c>u ← u · ‖p‖ / ‖u‖</c>
/// (1 when either norm is 0); a group without decay (biases, BatchNorm) is not adapted (<c>always_adapt = False</c>);</item>
/// <item><c>p ← p − lr·u</c>.</item>
/// </list>
/// Betas (0.9, 0.999), ε 1e-6, as timm. The state is named tensors, as <see cref="AdamW"/>'s, so a checkpoint holds it.
/// </summary>
public sealed class Lamb(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-6, double? maxGradNorm = 1.0)
    : AdaptiveOptimizer(groups, beta1, beta2, epsilon)
{
    /// <summary>The global gradient norm above which gradients are scaled down (timm <c>max_grad_norm</c>); null: none.</summary>
    public double? MaxGradNorm { get; } = maxGradNorm;

    /// <inheritdoc/>
    /// <remarks>Computed on the parameters' device without reading any norm back to the host, so a GPU step does not
    /// wait for the CPU once per tensor.</remarks>
    public override void Step(Func<double, double> rateForScale)
    {
        Steps++;
        var (b1, b2) = Betas;
        double correction1 = 1 - Math.Pow(b1, Steps), correction2Sqrt = Math.Sqrt(1 - Math.Pow(b2, Steps));
        using var noGrad = no_grad();
        using var divisor = GradientDivisor();
        // Scalars held for the whole loop, as in AdamW: a temporary can be finalised while libtorch reads it.
        using Scalar beta1 = b1, beta2 = b2, keep1 = 1 - b1, keep2 = 1 - b2, first = correction1, root2 = correction2Sqrt, epsilon = Epsilon;
        foreach (var group in Groups)
        {
            double lr = rateForScale(group.LearningRateScale);
            using Scalar decay = group.WeightDecay, step = -lr;
            foreach (var (name, p) in group.Parameters)
            {
                if (p.grad is null) continue;
                using var scope = NewDisposeScope();
                var grad = divisor is null ? p.grad : p.grad / divisor.to(p.grad.device);
                var (m, v) = Moments(name);
                m.mul_(beta1).add_(grad, alpha: keep1);
                v.mul_(beta2).addcmul_(grad, grad, value: keep2);
                var update = m.div(first).div_(v.sqrt().div_(root2).add_(epsilon));
                if (group.WeightDecay != 0)
                {
                    update.add_(p, alpha: decay);
                    var weightNorm = p.norm();
                    var updateNorm = update.norm();
                    var usable = weightNorm.gt(0).logical_and_(updateNorm.gt(0));
                    update.mul_(where(usable, weightNorm / updateNorm, ones_like(weightNorm)));
                }
                p.add_(update, alpha: step);
            }
        }
    }

    /// <summary>max(1, global gradient norm / <see cref="MaxGradNorm"/>) as a scalar tensor; null without a bound or
    /// without gradients.</summary>
    Tensor? GradientDivisor()
    {
        if (MaxGradNorm is not { } bound) return null;
        var grads = Groups.SelectMany(g => g.Parameters).Select(p => p.Parameter.grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0) return null;
        using var scope = NewDisposeScope();
        var norms = stack(grads.Select(g => g.to(ScalarType.Float32).norm().to(grads[0].device)).ToArray());
        return (norms.norm() / bound).clamp_min_(1).MoveToOuterDisposeScope();
    }
}
