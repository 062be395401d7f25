using static TorchSharp.torch;

namespace Folk.Lab.Training.Optim;

/// <summary>
/// Splits a model's parameters the way MFM does (Jiahao000/MFM <c>optimizer.py</c>): no weight decay for 1-D tensors
/// (norms, biases, q/v biases, BatchNorm), for names ending in ".bias", and for pos_embed and cls_token; decay for the
/// rest. With layer-wise decay (fine-tuning, the same file's <c>build_finetune_optimizer</c>) each group is also split by depth.
/// </summary>
public static class ParameterGroups
{
    /// <summary>True when the parameter is excluded from weight decay.</summary>
    public static bool NoDecay(string name, Tensor parameter) =>
        parameter.dim() <= 1 || name.EndsWith(".bias", StringComparison.Ordinal) ||
        LastPart(name) is "pos_embed" or "cls_token";

    /// <summary>Two groups: decay (weight decay <paramref name="weightDecay"/>) and no_decay (0), trainable parameters only.</summary>
    public static IReadOnlyList<ParameterGroup> Build(nn.Module model, double weightDecay)
    {
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter)).ToList();
        return new[]
        {
            new ParameterGroup("decay", trainable.Where(p => !NoDecay(p.name, p.Item2)).ToList(), weightDecay, 1.0),
            new ParameterGroup("no_decay", trainable.Where(p => NoDecay(p.name, p.Item2)).ToList(), 0.0, 1.0),
        }.Where(g => g.Parameters.Count > 0).ToList();
    }

    /// <summary>
    /// Layer-wise learning-rate decay for a ViT of <paramref name="depth"/> blocks (MFM main_finetune / BEiT): layer id
    /// 0 for cls_token, pos_embed and patch_embed; i + 1 for blocks.i; depth + 1 for everything else; scale
    /// <c>decay^(depth + 1 − id)</c>. Groups are split by (layer, decay/no-decay).
    /// </summary>
    public static IReadOnlyList<ParameterGroup> BuildWithLayerDecay(nn.Module model, double weightDecay, double decay, int depth)
    {
        return model.named_parameters().Where(p => p.parameter.requires_grad)
            .GroupBy(p => (Layer: LayerId(p.name, depth), Decay: !NoDecay(p.name, p.parameter)))
            .OrderBy(g => g.Key.Layer).ThenBy(g => g.Key.Decay)
            .Select(g => new ParameterGroup($"layer_{g.Key.Layer}_{(g.Key.Decay ? "decay" : "no_decay")}",
                g.Select(p => (p.name, (Tensor)p.parameter)).ToList(), g.Key.Decay ? weightDecay : 0.0,
                Math.Pow(decay, depth + 1 - g.Key.Layer)))
            .ToList();
    }

    /// <summary>The layer id of a parameter name, with or without an "encoder." prefix (a classifier's ViT) or a
    /// "backbone." one (a segmenter's ViT, whose neck and heads then take depth + 1, as BEiT's
    /// <c>get_num_layer_for_vit</c> in microsoft/unilm <c>beit/semantic_segmentation/mmcv_custom/layer_decay_optimizer_constructor.py</c>).</summary>
    public static int LayerId(string name, int depth)
    {
        var parts = name.Split('.');
        int start = parts[0] is "encoder" or "backbone" ? 1 : 0;
        var head = parts[start];
        if (head is "cls_token" or "pos_embed" or "patch_embed") return 0;
        if (head == "blocks" && int.TryParse(parts[start + 1], out int block)) return block + 1;
        return depth + 1;
    }

    static string LastPart(string name) => name[(name.LastIndexOf('.') + 1)..];
}
