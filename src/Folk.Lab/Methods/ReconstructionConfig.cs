using Folk.Lab.Data.Transforms;

namespace Folk.Lab.Methods;

/// <summary>
/// What MFM and its restoration baselines share (MFM configs/*/*_pretrain__*.yaml): the augmentation, a random
/// resized crop (scale <see cref="MinCropScale"/>–1, bicubic) and a horizontal flip, with no colour jitter and no
/// normalisation (the method normalises after corrupting; MFM data/data_mfm.py).
/// </summary>
public abstract record ReconstructionConfig : MethodConfig
{
    /// <summary>RandomResizedCrop's smallest area (DATA.MIN_CROP_SCALE = 0.2).</summary>
    public double MinCropScale { get; init; } = 0.2;

    /// <inheritdoc/>
    public override IViewTransform Augmentation(int imageSize) => new Compose(
        new RandomResizedCrop(RandomResizedCropOptions.Mfm with { Size = imageSize, Scale = (MinCropScale, 1.0) }),
        new RandomHorizontalFlip());
}
