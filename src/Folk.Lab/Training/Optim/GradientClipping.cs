using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>PyTorch's <c>clip_grad_norm_</c>: scale all gradients by min(1, max / (‖g‖₂ + 1e-6)), ‖g‖₂ over all of them.</summary>
public static class GradientClipping
{
    /// <summary>Clips in place and returns the total norm before clipping (NaN or ∞ when a gradient is not finite).</summary>
    public static double ClipByNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        Guard.Positive(maxNorm, nameof(maxNorm));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0) return 0;
        var total = stack(grads.Select(g => g.norm().to(ScalarType.Float32)).ToArray()).norm();
        double norm = total.to(ScalarType.Float64).cpu().item<double>();
        var coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
        foreach (var g in grads) g.mul_(coefficient.to(g.dtype));
        return norm;
    }
}
