namespace Folk.Lab.IO.Pth;

/// <summary>
/// Finds the state dict in an unpickled <c>.pth</c> object: the dict under <c>model</c> (MFM, SimMIM, timm training
/// checkpoints), else under <c>state_dict</c>, else the top-level dict itself; every other key is reported as skipped.
/// </summary>
internal static class PthStateDict
{
    static readonly string[] Containers = { "model", "state_dict" };

    /// <summary>The tensors by name, what was skipped, and the key the state dict sat under.</summary>
    public static (List<(string Name, TorchTensorRef Tensor)> Tensors, List<string> Skipped, string? Under) Select(object? root, string source)
    {
        if (root is not PickleDict top)
            throw new InvalidDataException($"{source}: holds {(root is null ? "None" : "a " + root.GetType().Name)}, not a dict of tensors (a state dict or a checkpoint).");
        string? under = null;
        var dict = top;
        foreach (var key in Containers)
            if (top.TryGet(key, out var inner) && inner is PickleDict d) { under = key; dict = d; break; }

        var tensors = new List<(string, TorchTensorRef)>();
        var skipped = new List<string>();
        if (under is not null)
            foreach (var (key, _) in top.Items)
                if (!Equals(key, under)) skipped.Add(Name(key));
        foreach (var (key, value) in dict.Items)
        {
            var name = Name(key);
            if (key is string && value is TorchTensorRef t) tensors.Add((name, t));
            else skipped.Add(under is null ? name : $"{under}.{name}");
        }
        return (tensors, skipped, under);
    }

    static string Name(object key) => key as string ?? key.ToString() ?? "?";
}
