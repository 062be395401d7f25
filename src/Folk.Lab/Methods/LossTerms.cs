using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>What one step of a method computed: the loss to minimise, every named term for the logs, and the batch
/// statistics the method folds into its state after the step.</summary>
/// <param name="Loss">The scalar the trainer back-propagates.</param>
/// <param name="Terms">Named scalar tensors (detached), "loss" first; read once per logged step.</param>
/// <param name="Statistics">Named detached tensors for <see cref="IPretrainingMethod.Observe"/> (FOLK: the teacher's
/// batch centre); empty for methods without such state.</param>
public sealed record LossTerms(Tensor Loss, IReadOnlyDictionary<string, Tensor> Terms, IReadOnlyDictionary<string, Tensor>? Statistics = null) : IDisposable
{
    /// <summary>The terms as numbers (one device-to-host copy each).</summary>
    public Dictionary<string, double> Values() => Terms.ToDictionary(t => t.Key, t => t.Value.to(ScalarType.Float64).cpu().item<double>());

    /// <summary>Moves every tensor to the enclosing dispose scope (for methods that compute inside a scope of their own).</summary>
    internal LossTerms MoveToOuterDisposeScope()
    {
        Loss.MoveToOuterDisposeScope();
        foreach (var t in Terms.Values.Concat(Statistics?.Values ?? Enumerable.Empty<Tensor>())) t.MoveToOuterDisposeScope();
        return this;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Loss.Dispose();
        foreach (var t in Terms.Values) t.Dispose();
        foreach (var t in Statistics?.Values ?? Enumerable.Empty<Tensor>()) t.Dispose();
    }
}
