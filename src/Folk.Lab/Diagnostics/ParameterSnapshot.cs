using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// A copy of a module's parameters at one moment (float64, on the CPU), to measure later how far they moved:
/// <c>‖θ − θ₀‖ / ‖θ₀‖</c> over all parameters together. FOLK's teacher, for example, has no gradient and moves only by
/// its EMA updates: a teacher that never moved from its initialisation distils nothing.
/// </summary>
/// <seealso href="../../notebooks/05-folk-pretraining.ipynb">notebook 05, FOLK pre-training</seealso>
public sealed class ParameterSnapshot : IDisposable
{
    readonly Dictionary<string, Tensor> _values;

    ParameterSnapshot(Dictionary<string, Tensor> values) => _values = values;

    /// <summary>Copies every parameter of <paramref name="module"/> by name (later changes to the module leave the copy alone).</summary>
    public static ParameterSnapshot Of(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var values = module.named_parameters().ToDictionary(
            p => p.name,
            p => p.parameter.detach().cpu().to(ScalarType.Float64).clone().DetachFromDisposeScope());
        if (values.Count == 0) throw new ArgumentException("The module has no parameters.", nameof(module));
        return new ParameterSnapshot(values);
    }

    /// <summary>Number of parameter tensors copied.</summary>
    public int Count => _values.Count;

    /// <summary>
    /// <c>‖θ − θ₀‖ / ‖θ₀‖</c>, the Euclidean distance of <paramref name="module"/>'s parameters from this snapshot relative
    /// to the snapshot's norm, all parameters flattened into one vector: 0 when nothing moved. The module must have
    /// exactly the snapshot's parameter names and shapes (the same module later, or a copy of its architecture).
    /// </summary>
    public double RelativeDistance(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var current = module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var missing = _values.Keys.Where(k => !current.ContainsKey(k)).ToList();
        var unexpected = current.Keys.Where(k => !_values.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException("The module's parameters are not the snapshot's" +
                (missing.Count > 0 ? $"; missing: {string.Join(", ", missing.Take(5))}" : "") +
                (unexpected.Count > 0 ? $"; unexpected: {string.Join(", ", unexpected.Take(5))}" : "") + ".", nameof(module));
        double moved = 0, norm = 0;
        foreach (var (name, before) in _values)
        {
            var now = current[name];
            if (!now.shape.SequenceEqual(before.shape))
                throw new ArgumentException($"'{name}' is {Shape.Format(now)} in the module but {Shape.Format(before)} in the snapshot.", nameof(module));
            moved += (now.detach().cpu().to(ScalarType.Float64) - before).square().sum().item<double>();
            norm += before.square().sum().item<double>();
        }
        return Math.Sqrt(moved) / Math.Sqrt(norm);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in _values.Values) t.Dispose();
        _values.Clear();
    }
}
