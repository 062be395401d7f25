using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>MFM's denoising baseline (MFM configs/*/denoise_pretrain__*.yaml): additive Gaussian noise of σ = 75/255; the model restores the image.</summary>
public sealed record DenoiseConfig : ReconstructionConfig
{
    /// <inheritdoc/>
    public override string Name => "denoise";

    /// <summary>The corruption's settings (their defaults are the official config's).</summary>
    public GaussianNoiseOptions Corruption { get; init; } = new();

    /// <inheritdoc/>
    public override IPretrainingMethod Build(MethodContext context) => new RestorationBaseline(Name, context.NewEncoder(), new GaussianNoiseCorruption(Corruption));

    /// <inheritdoc/>
    public override JsonObject Describe(int imageSize) => new()
    {
        ["MinCropScale"] = MinCropScale,
        ["Corruption"] = JsonSerializer.SerializeToNode(Corruption),
    };
}
