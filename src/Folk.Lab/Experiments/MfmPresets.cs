using Folk.Lab.Models;

namespace Folk.Lab.Experiments;

/// <summary>
/// The official MFM pre-training configs as recipes (MFM <c>configs/*/*_pretrain__*__300ep.yaml</c>): 300 epochs, 20
/// of warm-up, base LR 3e-4 per 512 images, AdamW (0.9, 0.95), weight decay 0.05, clip 3.0, r = 16, p_low 0.5 for
/// ViTs and 0.3 for ResNet-50. The restoration baselines share the recipe and change only the corruption and the
/// reduction.
/// </summary>
public static class MfmPresets
{
    /// <summary>configs/vit_base/mfm_pretrain__vit_base__img224__300ep.yaml.</summary>
    public static PretrainingRecipe VitBase224Ep300 => For("mfm", "vit-b");

    /// <summary>configs/vit_small/mfm_pretrain__vit_small__img224__300ep.yaml.</summary>
    public static PretrainingRecipe VitSmall224Ep300 => For("mfm", "vit-s");

    /// <summary>configs/resnet50/mfm_pretrain__resnet50__img224__300ep.yaml (SAMPLE_RATIO = 0.3).</summary>
    public static PretrainingRecipe ResNet50224Ep300 => For("mfm", "resnet50");

    /// <summary>The methods these recipes cover.</summary>
    public static IReadOnlyList<string> Methods { get; } = new[] { "mfm", "sr", "deblur", "denoise" };

    /// <summary>
    /// The official recipe of <paramref name="method"/> on <paramref name="model"/>. ViT-T has no official config:
    /// it takes the ViT-S recipe with ViT-T widths.
    /// </summary>
    public static PretrainingRecipe For(string method, string model)
    {
        if (!Methods.Contains(method))
            throw new ArgumentException($"Unknown method '{method}'; use one of: {string.Join(", ", Methods)}.", nameof(method));
        if (!ModelCatalog.Names.Contains(model))
            throw new ArgumentException($"Unknown model '{model}'; use one of: {string.Join(", ", ModelCatalog.Names)}.", nameof(model));
        return new PretrainingRecipe { Method = MethodRegistry.Default.For(method, model), Model = model };
    }
}
