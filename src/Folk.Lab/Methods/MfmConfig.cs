using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new Mfm(context.NewEncoder(), Masks.ScaledTo(context.ImageSize));

    /// <inheritdoc/>
    /// <remarks>The masks are recorded at 224², as they are set (run folders have always recorded them so).</remarks>
    public override JsonObject Describe(int imageSize) => new()
    {
        ["MinCropScale"] = MinCropScale,
        ["Masks"] = JsonSerializer.SerializeToNode(Masks),
    };
}
