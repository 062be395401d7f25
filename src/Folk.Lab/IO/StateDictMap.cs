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
            var name = key;
            if (layout == StateDictLayout.Mfm)
            {
                if (!key.StartsWith("encoder.", StringComparison.Ordinal))
                {
                    dropped.Add(key.StartsWith("decoder.", StringComparison.Ordinal) ? $"{key}: MFM's prediction head" : $"{key}: not part of the encoder");
                    continue;
                }
                name = key["encoder.".Length..];
            }
            if (layout == StateDictLayout.TimmVit && name.EndsWith(".attn.qkv.bias", StringComparison.Ordinal))
            {
                SplitQkvBias(name, t, tensors, dropped);
                continue;
            }
            tensors[name] = t.alias();
        }
        return new StateDictMapping(tensors, dropped);
    }

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
        if (bias.dim() != 1 || bias.shape[0] % 3 != 0)
            throw new InvalidDataException($"{name} has shape {Shape.Format(bias.shape)}, not one vector of 3·D (q, k, v).");
        long d = bias.shape[0] / 3;
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
