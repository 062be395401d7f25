using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>MFM's deblurring baseline (MFM configs/*/deblur_pretrain__*.yaml): a Gaussian blur of σ = 5; the model restores the image.</summary>
public sealed record DeblurConfig : ReconstructionConfig
{
    /// <inheritdoc/>
    public override string Name => "deblur";

    /// <summary>The corruption's settings (their defaults are the official config's).</summary>
    public GaussianBlurOptions Corruption { get; init; } = new();

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new RestorationBaseline(Name, context.NewEncoder(), new GaussianBlurCorruption(Corruption));

    /// <inheritdoc/>
    public override JsonObject Describe(int imageSize) => new()
    {
        ["MinCropScale"] = MinCropScale,
        ["Corruption"] = JsonSerializer.SerializeToNode(Corruption),
    };
}
