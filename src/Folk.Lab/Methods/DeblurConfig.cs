using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>MFM's deblurring baseline (MFM configs/*/deblur_pretrain__*.yaml): a Gaussian blur of σ = 5 at 224² (scaled to other sizes by <see cref="RestorationConfig{TOptions}.SizeScaling"/>); the model restores the image.</summary>
public sealed record DeblurConfig : RestorationConfig<GaussianBlurOptions>
{
    /// <inheritdoc/>
    public override string Name => "deblur";

    /// <inheritdoc/>
    protected override ICorruption Corrupt(GaussianBlurOptions options) => new GaussianBlurCorruption(options);
}
