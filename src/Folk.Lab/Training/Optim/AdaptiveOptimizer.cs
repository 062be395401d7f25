using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>
/// The common part of Adam-family optimisers (<see cref="AdamW"/>, <see cref="Lamb"/>): parameter groups, a first and
/// a second moment per parameter, the step count, and the state as named tensors ("exp_avg.&lt;param&gt;",
/// "exp_avg_sq.&lt;param&gt;") that a checkpoint holds. A subclass writes only its update.
/// </summary>
public abstract class AdaptiveOptimizer : IOptimizer
{
    readonly Dictionary<string, (Tensor M, Tensor V)> _state = new();

    /// <summary>Zero moments for every parameter of <paramref name="groups"/>.</summary>
    protected AdaptiveOptimizer(IReadOnlyList<ParameterGroup> groups, double beta1, double beta2, double epsilon)
    {
        Groups = groups;
        Betas = (beta1, beta2);
        Epsilon = epsilon;
        foreach (var (name, p) in groups.SelectMany(g => g.Parameters))
            _state[name] = (zeros_like(p).requires_grad_(false), zeros_like(p).requires_grad_(false));
    }

    /// <inheritdoc/>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>β₁, β₂.</summary>
    public (double Beta1, double Beta2) Betas { get; }

    /// <summary>ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public long Steps { get; protected set; }

    /// <inheritdoc/>
    public abstract void Step(Func<double, double> rateForScale);

    /// <summary>One update with learning rate <paramref name="learningRate"/> × each group's scale.</summary>
    public void Step(double learningRate) => Step(scale => learningRate * scale);

    /// <summary>The first and second moments of the parameter named <paramref name="name"/>.</summary>
    protected (Tensor M, Tensor V) Moments(string name) => _state[name];

    /// <inheritdoc/>
    public void ZeroGrad()
    {
        foreach (var (_, p) in Groups.SelectMany(g => g.Parameters))
        {
            p.grad?.Dispose();
            p.grad = null;
        }
    }

    /// <inheritdoc/>
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

    /// <inheritdoc/>
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
        GC.SuppressFinalize(this);
    }
}
