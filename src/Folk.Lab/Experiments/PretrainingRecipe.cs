using Folk.Lab.Methods;
using Folk.Lab.Training;

namespace Folk.Lab.Experiments;

/// <summary>
/// Everything that defines a pre-training run besides its data: the method's settings, the encoder, the input size,
/// the batch and the trainer's recipe. The CLI and the notebooks start from a preset (<see cref="MfmPresets"/>,
/// <see cref="FolkPresets"/>) and change what they need with <c>with</c>; <see cref="PretrainingRun.Assemble"/> builds
/// the run.
/// </summary>
public sealed record PretrainingRecipe
{
    /// <summary>The method and its settings (<see cref="MfmConfig"/>, <see cref="FolkConfig"/>, …; by name through
    /// <see cref="MethodRegistry"/>).</summary>
    public required MethodConfig Method { get; init; }

    /// <summary>"vit-t", "vit-s", "vit-b" or "resnet50".</summary>
    public required string Model { get; init; }

    /// <summary>Input side (DATA.IMG_SIZE = 224); the method scales its size-dependent settings to it.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>ViT patch size (MODEL.VIT.PATCH_SIZE = 16); null keeps the model's.</summary>
    public int? PatchSize { get; init; }

    /// <summary>ViT depth override (null: the preset's 12 blocks), for tiny smoke runs.</summary>
    public int? Depth { get; init; }

    /// <summary>Images per iteration on this device (DATA.BATCH_SIZE = 128 per GPU; the official global batch is
    /// 16 × 128 = 2048: use <see cref="TrainerConfig.AccumulationSteps"/> to reach it on one device).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The optimisation recipe; its <see cref="TrainerConfig.Seed"/> is the run's one seed.</summary>
    public TrainerConfig Trainer { get; init; } = new();
}
