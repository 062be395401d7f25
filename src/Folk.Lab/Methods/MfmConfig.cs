using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Losses;
using Folk.Lab.Masks;

namespace Folk.Lab.Methods;

/// <summary>MFM's settings (MFM configs/*/mfm_pretrain__*.yaml): radial masks r = 16 at 224², p_low 0.5 for ViTs and
/// 0.3 for ResNet-50, scaled by image size / 224 when built.</summary>
public sealed record MfmConfig : ReconstructionConfig
{
    /// <summary>The official ResNet-50 setting (configs/resnet50/mfm_pretrain__resnet50__img224__300ep.yaml: SAMPLE_RATIO = 0.3).</summary>
    public static MfmConfig ResNet50 => new() { Masks = RadialMaskOptions.ResNet50 };

    /// <inheritdoc/>
    public override string Name => "mfm";

    /// <summary>The radial masks at 224² (MASK_RADIUS1 = 16, SAMPLE_RATIO = 0.5).</summary>
    public RadialMaskOptions Masks { get; init; } = new();

    /// <summary>The frequency loss (MODEL.FREQ_LOSS.*: γ = 1, no focal weight, in every shipped config); the loss
    /// ablations change it.</summary>
    public FrequencyLossOptions Loss { get; init; } = new();

    /// <summary>What the loss compares (MODEL.RECOVER_TARGET_TYPE = 'masked' for MFM); <see cref="ReconstructionTarget.AllFrequencies"/>
    /// is the ablation.</summary>
    public ReconstructionTarget Target { get; init; } = ReconstructionTarget.MaskedFrequencies;

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new Mfm(context.NewEncoder(), Masks.ScaledTo(context.ImageSize), Loss, Target);

    /// <inheritdoc/>
    /// <remarks>The masks are recorded at 224², as they are set (run folders have always recorded them so). The loss
    /// and the target only when they differ from MFM's, so that run folders written before they were settings
    /// still resume.</remarks>
    public override JsonObject Describe(int imageSize)
    {
        var node = new JsonObject
        {
            ["MinCropScale"] = MinCropScale,
            ["Masks"] = JsonSerializer.SerializeToNode(Masks),
        };
        if (Loss != new FrequencyLossOptions()) node["Loss"] = JsonSerializer.SerializeToNode(Loss);
        if (Target != ReconstructionTarget.MaskedFrequencies) node["Target"] = Target.ToString();
        return node;
    }
}
