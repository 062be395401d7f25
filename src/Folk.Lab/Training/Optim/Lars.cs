using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>
/// LARS (You et al., 2017, arXiv 1708.03888) exactly as MAE's linear probe runs it (MAE util/lars.py): for every
/// parameter with more than one dimension, <c>d = g + wd·p</c> scaled by the trust ratio <c>η‖p‖ / ‖d‖</c> (1 when
/// either norm is 0); 1-D parameters (biases, norms) take <c>d = g</c> unscaled and undecayed; then momentum
/// <c>μ ← m·μ + d</c> and <c>p ← p − lr·μ</c>. Defaults: MAE's weight decay 0, momentum 0.9, η 0.001.
/// </summary>
public sealed class Lars : IDisposable
{
    readonly IReadOnlyList<(string Name, Tensor Parameter)> _parameters;
    readonly Dictionary<string, Tensor> _momentum = new();

    /// <summary>Weight decay (MAE main_linprobe.py <c>--weight_decay 0</c>).</summary>
    public double WeightDecay { get; }

    /// <summary>Momentum (util/lars.py default 0.9).</summary>
    public double Momentum { get; }

    /// <summary>η, the trust coefficient (util/lars.py default 0.001).</summary>
    public double TrustCoefficient { get; }

    /// <summary>Creates the optimiser over <paramref name="parameters"/>.</summary>
    public Lars(IReadOnlyList<(string Name, Tensor Parameter)> parameters, double weightDecay = 0, double momentum = 0.9, double trustCoefficient = 0.001)
    {
        _parameters = parameters;
        WeightDecay = weightDecay;
        Momentum = momentum;
        TrustCoefficient = trustCoefficient;
    }

    /// <summary>One update at <paramref name="learningRate"/>; parameters without a gradient are skipped.</summary>
    public void Step(double learningRate)
    {
        using var noGrad = no_grad();
        // Scalars held for the whole loop, as in AdamW: a temporary can be finalised while libtorch reads it.
        using Scalar decay = WeightDecay, momentum = Momentum, step = -learningRate;
        foreach (var (name, p) in _parameters)
        {
            if (p.grad is not { } grad) continue;
            using var scope = NewDisposeScope();
            var d = grad.clone();
            if (p.dim() > 1)
            {
                if (WeightDecay != 0) d.add_(p, alpha: decay);
                var parameterNorm = p.norm();
                var updateNorm = d.norm();
                var one = ones_like(parameterNorm);
                var ratio = where(parameterNorm > 0, where(updateNorm > 0, TrustCoefficient * parameterNorm / updateNorm, one), one);
                d.mul_(ratio);
            }
            if (!_momentum.TryGetValue(name, out var mu))
                _momentum[name] = mu = zeros_like(p).DetachFromDisposeScope();
            mu.mul_(momentum).add_(d);
            p.add_(mu, alpha: step);
        }
    }

    /// <summary>Sets every gradient to none.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in _parameters)
        {
            p.grad?.Dispose();
            p.grad = null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var m in _momentum.Values) m.Dispose();
        _momentum.Clear();
    }
}
