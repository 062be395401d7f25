using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Models;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// What a run costs, from the analytic FLOP counts of <see cref="Flops"/>: FLOPs per image of a pre-training step
/// (MFM and its baselines: one view, forward and backward; FOLK: <see cref="Flops.FolkStep"/>), of a fine-tuning step,
/// and GPU-hours at a stated sustained rate. An estimate for planning, not a measurement: the rate is an assumption
/// (<see cref="AssumedRate"/>) until the GPU benchmark measures it.
/// </summary>
public static class TrainingCost
{
    /// <summary>Dense bf16 peak of one H100 or H200 (SXM), FLOP/s.</summary>
    public const double H100DenseBf16 = 989e12;

    /// <summary>The share of that peak a well-fed ViT training step sustains, assumed: 40 %.</summary>
    public const double AssumedUtilisation = 0.4;

    /// <summary>The assumed sustained rate: <see cref="AssumedUtilisation"/> × <see cref="H100DenseBf16"/>.</summary>
    public const double AssumedRate = AssumedUtilisation * H100DenseBf16;

    /// <summary>ImageNet-1K's training images.</summary>
    public const long ImageNetTrainImages = 1_281_167;

    /// <summary>FLOPs of one pre-training step per image of <paramref name="recipe"/> (ViT encoders only).</summary>
    /// <exception cref="NotSupportedException">A ResNet: <see cref="Flops"/> counts ViTs only.</exception>
    public static double PretrainingFlopsPerImage(PretrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var vit = Vit(recipe.Model, recipe.ImageSize, recipe.PatchSize, recipe.Depth);
        return recipe.Method is FolkConfig folk
            ? Flops.FolkStep(vit, folk.Head)
            : Flops.TrainingStep(Flops.VisionTransformerForward(vit));
    }

    /// <summary>FLOPs of one fine-tuning step per image of a ViT (no MFM head; the class head is negligible).</summary>
    public static double FinetuningFlopsPerImage(string model, int imageSize = 224, int? patchSize = null, int? depth = null) =>
        Flops.TrainingStep(Flops.VisionTransformerForward(Vit(model, imageSize, patchSize, depth), withMfmHead: false));

    /// <summary>FLOPs of a whole pre-training run of <paramref name="recipe"/> over <paramref name="images"/> images per epoch.</summary>
    public static double Pretraining(PretrainingRecipe recipe, long images) => PretrainingFlopsPerImage(recipe) * images * recipe.Trainer.Epochs;

    /// <summary>Hours of one GPU that sustains <paramref name="flopsPerSecond"/> (default <see cref="AssumedRate"/>) to
    /// compute <paramref name="flops"/>.</summary>
    public static double GpuHours(double flops, double flopsPerSecond = AssumedRate)
    {
        Guard.Positive(flopsPerSecond, nameof(flopsPerSecond));
        return flops / flopsPerSecond / 3600;
    }

    static VisionTransformerConfig Vit(string model, int imageSize, int? patchSize, int? depth) =>
        ModelCatalog.VisionTransformerFor(model, imageSize, patchSize, depth: depth)
        ?? throw new NotSupportedException($"The FLOP count covers ViT encoders only; '{model}' is not one.");
}
