using Folk.Lab.Masks;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training;

namespace Folk.Lab.Experiments;

/// <summary>
/// FOLK pre-training recipes. FOLK's own hyper-parameters were never published (FOLK paper, arXiv 2409.10362: only
/// the filter thresholds; no code released), so Folk.Lab uses MFM's ViT recipe (300 epochs, 20 of warm-up, base LR
/// 3e-4 per 512 images, AdamW (0.9, 0.95), weight decay 0.05, clip 3.0, 128 images per GPU on 16 GPUs = 2048) with
/// DINO's teacher-side knobs on top (K = 65536, τ_s 0.1, τ_t 0.04 → 0.07 over 30 epochs, centre momentum 0.9, EMA
/// 0.996 → 1) and two DINO global crops (scale 0.4–1, no local crops). Each value is a default of
/// <see cref="FolkConfig"/> or <see cref="TrainerConfig"/>, with its source there.
/// </summary>
public static class FolkPresets
{
    /// <summary>ViT-S/16 at 224², 300 epochs (MFM's ViT backbones, assumed for FOLK; the recipe above).</summary>
    public static PretrainingRecipe VitSmall16Ep300 => For("vit-s");

    /// <summary>ViT-B/16 at 224², 300 epochs (MFM's ViT backbones, assumed for FOLK; the recipe above).</summary>
    public static PretrainingRecipe VitBase16Ep300 => For("vit-b");

    /// <summary>ResNet-50 at 224², 300 epochs: MFM's RN-50 head and a projection head on the pooled 2048-d feature
    /// (Folk.Lab's choice for FOLK's CNN variant, arXiv 2409.10362, Appendix B); radial masks, if chosen for the
    /// ablation, use MFM's RN-50 p_low = 0.3.</summary>
    public static PretrainingRecipe ResNet50Ep300 => For("resnet50");

    /// <summary>The FOLK recipe on <paramref name="model"/> ("vit-t" takes the ViT-S recipe with ViT-T widths).</summary>
    public static PretrainingRecipe For(string model)
    {
        if (!ModelCatalog.Names.Contains(model))
            throw new ArgumentException($"Unknown model '{model}'; use one of: {string.Join(", ", ModelCatalog.Names)}.", nameof(model));
        return new PretrainingRecipe { Method = MethodRegistry.Default.For("folk", model), Model = model };
    }

    /// <summary>The FOLK recipe on <paramref name="model"/> with τ read as <paramref name="tauReading"/>.</summary>
    public static PretrainingRecipe For(string model, ComThreshold tauReading) =>
        For(model) is { Method: FolkConfig folk } recipe ? recipe with { Method = folk.WithTauReading(tauReading) } : throw new InvalidOperationException();

    /// <summary>
    /// The ablation of the riskiest choice of the recipe, what τ ∈ {0.005, 0.01, 0.05} means (FOLK paper, arXiv 2409.10362, §3.2.1): the
    /// recipe once per reading, the default keep fraction first, then the magnitude threshold. The only source calls τ a
    /// "threshold", and the readings run in opposite directions: the keep fraction keeps 0.5 / 1 / 5 % of the
    /// frequencies, the magnitude threshold keeps fewer as τ grows (about 1 / 0.3 / 0.02 % of a 224² image, and far
    /// more at 32²).
    /// </summary>
    public static IReadOnlyList<PretrainingRecipe> TauReadings(string model) =>
        [For(model, ComThreshold.KeepFraction), For(model, ComThreshold.MagnitudeFraction)];
}
