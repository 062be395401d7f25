using Folk.Lab.Masks;
using Folk.Lab.Training;

namespace Folk.Lab.Methods.Presets;

/// <summary>
/// Everything that defines a pre-training run besides its data: method, encoder, input size, batch, augmentation,
/// masks and the trainer's recipe. The CLI and the notebooks start from a preset and change what they need with
/// <c>with</c>.
/// </summary>
public sealed record PretrainingRecipe
{
    /// <summary>"mfm", "sr", "deblur", "denoise" or "folk".</summary>
    public required string Method { get; init; }

    /// <summary>"vit-t", "vit-s", "vit-b" or "resnet50".</summary>
    public required string Model { get; init; }

    /// <summary>Input side (DATA.IMG_SIZE = 224).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>ViT patch size (MODEL.VIT.PATCH_SIZE = 16); null keeps the model's.</summary>
    public int? PatchSize { get; init; }

    /// <summary>ViT depth override (null: the preset's 12 blocks), for tiny smoke runs.</summary>
    public int? Depth { get; init; }

    /// <summary>Images per iteration on this device (DATA.BATCH_SIZE = 128 per GPU; the official global batch is
    /// 16 × 128 = 2048: use <see cref="TrainerConfig.AccumulationSteps"/> to reach it on one device).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>RandomResizedCrop's smallest area (DATA.MIN_CROP_SCALE = 0.2), then a horizontal flip.</summary>
    public double MinCropScale { get; init; } = 0.2;

    /// <summary>MFM's masks at 224²; scaled to <see cref="ImageSize"/> by radius·size/224 when the run is built.</summary>
    public RadialMaskOptions Masks { get; init; } = new();

    /// <summary>FOLK's settings (used when <see cref="Method"/> is "folk"); views and radial masks are sized to
    /// <see cref="ImageSize"/> when the run is built.</summary>
    public FolkConfig Folk { get; init; } = new();

    /// <summary>The optimisation recipe.</summary>
    public TrainerConfig Trainer { get; init; } = new();
}
