using static TorchSharp.torch;

namespace Folk.Lab.Training;

/// <summary>Copying saved tensors into a live module, with errors that name the keys and shapes that do not match.</summary>
public static class StateDicts
{
    /// <summary>
    /// Copies every tensor of <paramref name="source"/> into the parameter or buffer of <paramref name="module"/>
    /// with the same name (in place: optimisers keep their references). Strict: a missing or unexpected key, or a
    /// shape mismatch, throws <see cref="InvalidDataException"/> naming it and <paramref name="origin"/>.
    /// </summary>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string origin) =>
        CopyInto(module, source, origin, _ => false);

    /// <summary>
    /// As <see cref="CopyInto(nn.Module, IReadOnlyDictionary{string, Tensor}, string)"/>, except that keys of the
    /// model for which <paramref name="mayStayFresh"/> is true may be absent from <paramref name="source"/> (they keep
    /// their initial values): a fresh head on a pre-trained backbone. Every saved tensor must still find its place.
    /// </summary>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string origin, Func<string, bool> mayStayFresh)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k) && !mayStayFresh(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"{origin}: the saved state does not fit this model" +
                (missing.Count > 0 ? $"; missing: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? $" (+{missing.Count - 5})" : "")}" : "") +
                (unexpected.Count > 0 ? $"; unexpected: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? $" (+{unexpected.Count - 5})" : "")}" : "") + ".");
        using var noGrad = no_grad();
        foreach (var (name, t) in target)
        {
            if (!source.TryGetValue(name, out var s)) continue;
            if (!s.shape.SequenceEqual(t.shape))
                throw new InvalidDataException($"{origin}: '{name}' is saved as {Shape.Format(s)} but the model has {Shape.Format(t)}.");
            t.copy_(s);
        }
    }
}
