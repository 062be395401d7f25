using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>
/// Renames the state dicts of the official MFM code, timm's ViT and torchvision's ResNet-50 onto Folk.Lab's encoder
/// names, in one table of rules, and compares the result with a model's names and shapes.
/// </summary>
/// <remarks>
/// MFM (Jiahao000/MFM models/mfm.py): <c>encoder.*</c> loses its prefix; everything else (<c>decoder.*</c>, the
/// 1×1 conv + PixelShuffle head) is dropped. timm ViT: <c>blocks.i.attn.qkv.bias</c> (q‖k‖v) becomes
/// <c>q_bias</c> and <c>v_bias</c>; its k third is dropped, and named with its largest magnitude when that is not
/// zero (Folk.Lab's k bias is fixed at zero, as in BEiT and MFM, so such a model is not reproduced exactly).
/// torchvision ResNet-50 and Folk.Lab: names kept.
/// </remarks>
public static class StateDictMap
{
    /// <summary>The layout <paramref name="keys"/> look like: <c>encoder.*</c> → MFM, a <c>qkv.bias</c> → timm ViT,
    /// <c>layer1.*</c> → torchvision, else Folk.Lab.</summary>
    public static StateDictLayout Detect(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Any(k => k.StartsWith("encoder.", StringComparison.Ordinal))) return StateDictLayout.Mfm;
        if (list.Any(k => k.EndsWith(".attn.qkv.bias", StringComparison.Ordinal))) return StateDictLayout.TimmVit;
        if (list.Any(k => k.StartsWith("layer1.", StringComparison.Ordinal))) return StateDictLayout.Torchvision;
        return StateDictLayout.FolkLab;
    }

    /// <summary>Renames <paramref name="source"/> from <paramref name="layout"/> onto Folk.Lab's names. The returned
    /// tensors are new handles (views) the caller disposes; the source's stay the caller's.</summary>
    public static StateDictMapping Apply(IReadOnlyDictionary<string, Tensor> source, StateDictLayout layout)
    {
        var tensors = new Dictionary<string, Tensor>();
        var dropped = new List<string>();
        foreach (var (key, t) in source)
        {
            var (name, reason) = Rename(key, layout);
            if (name is null) dropped.Add($"{key}: {reason}");
            else if (IsQkvBias(name, layout)) SplitQkvBias(name, t, tensors, dropped);
            else tensors[name] = t.alias();
        }
        return new StateDictMapping(tensors, dropped);
    }

    /// <summary>What <see cref="Apply"/> makes of a state dict's names and shapes, from those alone (to size a model
    /// before reading the weights). A timm k bias is listed as dropped whatever its values, which only
    /// <see cref="Apply"/> reads.</summary>
    public static (Dictionary<string, long[]> Shapes, IReadOnlyList<string> Dropped) ApplyToShapes(
        IReadOnlyDictionary<string, long[]> source, StateDictLayout layout)
    {
        var shapes = new Dictionary<string, long[]>();
        var dropped = new List<string>();
        foreach (var (key, shape) in source)
        {
            var (name, reason) = Rename(key, layout);
            if (name is null) { dropped.Add($"{key}: {reason}"); continue; }
            if (!IsQkvBias(name, layout)) { shapes[name] = shape; continue; }
            long d = QkvWidth(name, shape);
            var prefix = name[..^"qkv.bias".Length];
            shapes[prefix + "q_bias"] = shapes[prefix + "v_bias"] = [d];
            dropped.Add($"{name}[{d}:{2 * d}]: the k bias, which Folk.Lab fixes at zero");
        }
        return (shapes, dropped);
    }

    /// <summary>Folk.Lab's name for <paramref name="key"/>, or null and why it is left out.</summary>
    static (string? Name, string? Dropped) Rename(string key, StateDictLayout layout)
    {
        if (layout != StateDictLayout.Mfm) return (key, null);
        if (key.StartsWith("encoder.", StringComparison.Ordinal)) return (key["encoder.".Length..], null);
        return (null, key.StartsWith("decoder.", StringComparison.Ordinal) ? "MFM's prediction head" : "not part of the encoder");
    }

    static bool IsQkvBias(string name, StateDictLayout layout) =>
        layout == StateDictLayout.TimmVit && name.EndsWith(".attn.qkv.bias", StringComparison.Ordinal);

    /// <summary>D of a q‖k‖v bias of shape [3·D].</summary>
    static long QkvWidth(string name, long[] shape) => shape.Length == 1 && shape[0] % 3 == 0 ? shape[0] / 3
        : throw new InvalidDataException($"{name} has shape {Shape.Format(shape)}, not one vector of 3·D (q, k, v).");

    /// <summary>Names of <paramref name="mapped"/> against a model's (name → shape).</summary>
    public static StateDictComparison Compare(IReadOnlyDictionary<string, long[]> model, IReadOnlyDictionary<string, Tensor> mapped)
    {
        var missing = model.Keys.Where(k => !mapped.ContainsKey(k)).ToList();
        var unexpected = mapped.Keys.Where(k => !model.ContainsKey(k)).ToList();
        var mismatched = model.Where(m => mapped.TryGetValue(m.Key, out var t) && !t.shape.SequenceEqual(m.Value))
            .Select(m => $"{m.Key}: {Shape.Format(mapped[m.Key].shape)} in the file, {Shape.Format(m.Value)} in the model").ToList();
        return new StateDictComparison(missing, unexpected, mismatched);
    }

    static void SplitQkvBias(string name, Tensor bias, Dictionary<string, Tensor> tensors, List<string> dropped)
    {
        long d = QkvWidth(name, bias.shape);
        var prefix = name[..^"qkv.bias".Length];
        tensors[prefix + "q_bias"] = bias.narrow(0, 0, d);
        tensors[prefix + "v_bias"] = bias.narrow(0, 2 * d, d);
        using var k = bias.narrow(0, d, d);
        using var absolute = k.abs();
        using var largest = absolute.max();
        double max = largest.to(ScalarType.Float64).item<double>();
        if (max != 0)
            dropped.Add($"{name}[{d}:{2 * d}]: the k bias (largest |k| {max.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}), which Folk.Lab fixes at zero");
    }
}
