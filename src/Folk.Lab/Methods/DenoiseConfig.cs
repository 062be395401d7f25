using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>MFM's denoising baseline (MFM configs/*/denoise_pretrain__*.yaml): additive Gaussian noise of σ = 75/255; the model restores the image.</summary>
public sealed record DenoiseConfig : RestorationConfig<GaussianNoiseOptions>
{
    /// <inheritdoc/>
    public override string Name => "denoise";

    /// <inheritdoc/>
    protected override ICorruption Corrupt(GaussianNoiseOptions options) => new GaussianNoiseCorruption(options);
}
