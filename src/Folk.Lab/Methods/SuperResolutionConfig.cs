using Folk.Lab.Corruptions;

namespace Folk.Lab.Methods;

/// <summary>MFM's super-resolution baseline (MFM configs/*/sr_pretrain__*.yaml): bicubic down-sampling by 8 and back at 224² (scaled to other sizes by <see cref="RestorationConfig{TOptions}.SizeScaling"/>); the model restores the image.</summary>
public sealed record SuperResolutionConfig : RestorationConfig<SuperResolutionOptions>
{
    /// <inheritdoc/>
    public override string Name => "sr";

    /// <inheritdoc/>
    protected override ICorruption Corrupt(SuperResolutionOptions options) => new SuperResolutionCorruption(options);
}
