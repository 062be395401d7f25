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
public sealed class AdamW : IDisposable
{
    readonly IReadOnlyList<ParameterGroup> _groups;
    readonly Dictionary<string, (Tensor M, Tensor V)> _state = new();

    /// <summary>β₁, β₂.</summary>
    public (double Beta1, double Beta2) Betas { get; }

    /// <summary>ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>Optimiser steps taken so far (t).</summary>
    public long Steps { get; private set; }

    /// <summary>Creates the optimiser over the groups.</summary>
    public AdamW(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.95, double epsilon = 1e-8)
    {
        _groups = groups;
        Betas = (beta1, beta2);
        Epsilon = epsilon;
        foreach (var (name, p) in groups.SelectMany(g => g.Parameters))
            _state[name] = (zeros_like(p).requires_grad_(false), zeros_like(p).requires_grad_(false));
    }

    /// <summary>The groups, in order.</summary>
    public IReadOnlyList<ParameterGroup> Groups => _groups;

    /// <summary>One update with learning rate <paramref name="learningRate"/> × each group's scale. Parameters without a
    /// gradient are skipped (their moments still count the step, as t is global).</summary>
    public void Step(double learningRate) => Step(scale => learningRate * scale);

    /// <summary>One update in which each group's rate is <paramref name="rateForScale"/> of its
    /// <see cref="ParameterGroup.LearningRateScale"/> (a schedule whose peak alone scales, as MFM's fine-tuning runs
    /// layer-wise decay: see <see cref="Schedules.WarmupCosine.ForScale"/>).</summary>
    public void Step(Func<double, double> rateForScale)
    {
        Steps++;
        var (b1, b2) = Betas;
        double correction1 = 1 - Math.Pow(b1, Steps), correction2Sqrt = Math.Sqrt(1 - Math.Pow(b2, Steps));
        using var noGrad = no_grad();
        foreach (var group in _groups)
        {
            double lr = rateForScale(group.LearningRateScale);
            foreach (var (name, p) in group.Parameters)
            {
                var grad = p.grad;
                if (grad is null) continue;
                var (m, v) = _state[name];
                if (group.WeightDecay != 0) p.mul_(1 - lr * group.WeightDecay);
                m.mul_(b1).add_(grad, alpha: 1 - b1);
                v.mul_(b2).addcmul_(grad, grad, value: 1 - b2);
                using var denominator = v.sqrt().div_(correction2Sqrt).add_(Epsilon);
                p.addcdiv_(m, denominator, value: -lr / correction1);
            }
        }
    }

    /// <summary>Sets every gradient to none.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in _groups.SelectMany(g => g.Parameters))
        {
            p.grad?.Dispose();
            p.grad = null;
        }
    }

    /// <summary>The state as named tensors ("exp_avg.&lt;param&gt;", "exp_avg_sq.&lt;param&gt;") for a checkpoint; plus <see cref="Steps"/>.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, (m, v)) in _state)
        {
            state["exp_avg." + name] = m;
            state["exp_avg_sq." + name] = v;
        }
        return state;
    }

    /// <summary>Restores the state written by <see cref="StateDict"/> (copies values into this optimiser's tensors).</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        using var noGrad = no_grad();
        foreach (var (name, (m, v)) in _state)
        {
            if (!state.TryGetValue("exp_avg." + name, out var sm) || !state.TryGetValue("exp_avg_sq." + name, out var sv))
                throw new InvalidDataException($"The optimiser state has no moments for parameter '{name}'.");
            m.copy_(sm);
            v.copy_(sv);
        }
        Steps = steps;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (m, v) in _state.Values) { m.Dispose(); v.Dispose(); }
        _state.Clear();
    }
}
