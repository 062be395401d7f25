using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>MFM's super-resolution baseline (MFM configs/*/sr_pretrain__*.yaml): bicubic down-sampling by 8 and back; the model restores the image.</summary>
public sealed record SuperResolutionConfig : ReconstructionConfig
{
    /// <inheritdoc/>
    public override string Name => "sr";

    /// <summary>The corruption's settings (their defaults are the official config's).</summary>
    public SuperResolutionOptions Corruption { get; init; } = new();

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new RestorationBaseline(Name, context.NewEncoder(), new SuperResolutionCorruption(Corruption));

    /// <inheritdoc/>
    public override JsonObject Describe(int imageSize) => new()
    {
        ["MinCropScale"] = MinCropScale,
        ["Corruption"] = JsonSerializer.SerializeToNode(Corruption),
    };
}
