namespace Folk.Lab.IO.Pth;

/// <summary>
/// Finds the state dict in an unpickled <c>.pth</c> object: the dict under <c>model</c> (MFM, SimMIM, timm training
/// checkpoints), else under <c>state_dict</c>, else the top-level dict itself; every other key is reported as skipped.
/// </summary>
/// <remarks>
/// A <see cref="PickleObject"/> (a foreign global, a call or an instance of one) refuses the file wherever it stands,
/// as <c>torch.load(weights_only=True)</c> does. With <c>skipObjects</c> one is accepted outside the weights, in a
/// checkpoint's other entries, where MFM's <c>save_checkpoint</c> (utils.py) pickles its yacs <c>config</c>: the entry
/// is reported as skipped and nothing of it is built. Among the weights, or as the whole file, one is always refused.
/// </remarks>
internal static class PthStateDict
{
    static readonly string[] Containers = { "model", "state_dict" };

    /// <summary>The tensors by name, what was skipped, and the key the state dict sat under.</summary>
    /// <exception cref="UnsafePickleException">The pickle holds a <see cref="PickleObject"/> where it may not.</exception>
    public static (List<(string Name, TorchTensorRef Tensor)> Tensors, List<string> Skipped, string? Under) Select(object? root, string source, bool skipObjects = false)
    {
        if (root is PickleObject whole) throw new UnsafePickleException(source, whole.Global, whole.Request, null, canSkip: false);
        if (root is not PickleDict top)
            throw new InvalidDataException($"{source}: holds {(root is null ? "None" : "a " + root.GetType().Name)}, not a dict of tensors (a state dict or a checkpoint).");
        string? under = null;
        var dict = top;
        foreach (var key in Containers)
            if (top.TryGet(key, out var inner) && inner is PickleDict d) { under = key; dict = d; break; }

        var tensors = new List<(string, TorchTensorRef)>();
        var skipped = new List<string>();
        if (under is not null)
            foreach (var (key, value) in top.Items)
            {
                if (Equals(key, under)) continue;
                if (FirstObject(value) is { } foreign)
                {
                    if (!skipObjects) throw new UnsafePickleException(source, foreign.Global, foreign.Request, Name(key), canSkip: true);
                    skipped.Add($"{Name(key)} (holds {foreign.Global}, not built)");
                }
                else skipped.Add(Name(key));
            }
        foreach (var (key, value) in dict.Items)
        {
            var name = Name(key);
            if (FirstObject(value) is { } foreign)
                throw new UnsafePickleException(source, foreign.Global, foreign.Request, under is null ? name : $"{under}.{name}", canSkip: false);
            if (key is string && value is TorchTensorRef t) tensors.Add((name, t));
            else skipped.Add(under is null ? name : $"{under}.{name}");
        }
        return (tensors, skipped, under);
    }

    /// <summary>The first <see cref="PickleObject"/> in <paramref name="value"/> and what it contains (depth first;
    /// shared and cyclic containers are visited once).</summary>
    static PickleObject? FirstObject(object? value)
    {
        var pending = new Stack<object?>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        pending.Push(value);
        while (pending.Count > 0)
        {
            var item = pending.Pop();
            if (item is PickleObject found) return found;
            if (item is null || !seen.Add(item)) continue;
            switch (item)
            {
                case PickleDict d:
                    foreach (var (k, v) in d.Items) { pending.Push(k); pending.Push(v); }
                    break;
                case List<object?> list:
                    foreach (var v in list) pending.Push(v);
                    break;
                case object?[] tuple:
                    foreach (var v in tuple) pending.Push(v);
                    break;
            }
        }
        return null;
    }

    static string Name(object key) => key as string ?? key.ToString() ?? "?";
}
