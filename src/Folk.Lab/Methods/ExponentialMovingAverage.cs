using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// An exponential moving average of one module's parameters in another of the same structure (DINO's teacher update:
/// <c>θ_t ← m·θ_t + (1 − m)·θ_s</c>, buffers copied). The target never needs gradients.
/// </summary>
public sealed class ExponentialMovingAverage
{
    readonly (Tensor Target, Tensor Source)[] _parameters;
    readonly (Tensor Target, Tensor Source)[] _buffers;

    /// <summary>Pairs <paramref name="target"/>'s parameters and buffers with <paramref name="source"/>'s by name,
    /// and switches the target's gradients off.</summary>
    public ExponentialMovingAverage(nn.Module target, nn.Module source)
    {
        var sourceParameters = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var sourceBuffers = source.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        _parameters = target.named_parameters().Select(p =>
            ((Tensor)p.parameter, sourceParameters.TryGetValue(p.name, out var s) ? s
                : throw new ArgumentException($"The source has no parameter '{p.name}'.", nameof(source)))).ToArray();
        _buffers = target.named_buffers().Where(b => sourceBuffers.ContainsKey(b.name)).Select(b => (b.buffer, sourceBuffers[b.name])).ToArray();
        foreach (var (t, _) in _parameters) t.requires_grad_(false);
    }

    /// <summary>Copies the source into the target (momentum 0): the starting point of a teacher.</summary>
    public void CopySource() => Update(0);

    /// <summary>One update with <paramref name="momentum"/> in [0, 1].</summary>
    public void Update(double momentum)
    {
        Guard.Probability(momentum, nameof(momentum));
        using var noGrad = no_grad();
        foreach (var (t, s) in _parameters) t.mul_(momentum).add_(s, alpha: 1 - momentum);
        foreach (var (t, s) in _buffers) t.copy_(s);
    }
}
