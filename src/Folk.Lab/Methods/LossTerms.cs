using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>What one step of a method computed: the loss to minimise, and every named term for the logs.</summary>
/// <param name="Loss">The scalar the trainer back-propagates.</param>
/// <param name="Terms">Named scalar tensors (detached), "loss" first; read once per logged step.</param>
public sealed record LossTerms(Tensor Loss, IReadOnlyDictionary<string, Tensor> Terms) : IDisposable
{
    /// <summary>The terms as numbers (one device-to-host copy each).</summary>
    public Dictionary<string, double> Values() => Terms.ToDictionary(t => t.Key, t => t.Value.to(ScalarType.Float64).cpu().item<double>());

    /// <inheritdoc/>
    public void Dispose()
    {
        Loss.Dispose();
        foreach (var t in Terms.Values) t.Dispose();
    }
}
