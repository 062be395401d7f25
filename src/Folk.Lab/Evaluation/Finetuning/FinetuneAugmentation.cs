using Folk.Lab.Data.Transforms;

namespace Folk.Lab.Evaluation.Finetuning;

/// <summary>
/// The fine-tuning input pipeline. Defaults are MFM's ViT fine-tuning (configs/vit_*/finetune__*.yaml through timm
/// 0.4.12 <c>create_transform</c> and <c>Mixup</c>; MFM paper arXiv 2206.07706, Appendix A): RandomResizedCrop scale
/// (0.08, 1), flip 0.5, RandAugment <c>rand-m9-mstd0.5-inc1</c>, Normalize, RandomErasing 0.25 'pixel', Mixup 0.8 /
/// CutMix 1.0 switching with probability 0.5, label smoothing 0.1; evaluation resizes to size / 0.875 and crops the
/// centre. A null step is off.
/// </summary>
public sealed record FinetuneAugmentation
{
    /// <summary>RandomResizedCrop's scale range (timm create_transform default (0.08, 1)).</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.08, 1.0);

    /// <summary>Horizontal-flip probability (timm hflip 0.5).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>RandAugment (AUG.AUTO_AUGMENT 'rand-m9-mstd0.5-inc1'); null = off.</summary>
    public RandAugmentOptions? RandAugment { get; init; } = new();

    /// <summary>Random Erasing (AUG.REPROB 0.25, REMODE 'pixel', RECOUNT 1); null = off.</summary>
    public RandomErasingOptions? RandomErasing { get; init; } = new();

    /// <summary>Mixup / CutMix (AUG.MIXUP 0.8, CUTMIX 1.0, MIXUP_PROB 1.0, MIXUP_SWITCH_PROB 0.5); null = off. Its
    /// <see cref="MixupOptions.Classes"/> is set from the data.</summary>
    public MixupOptions? Mixup { get; init; } = new();

    /// <summary>Label smoothing ε (MODEL.LABEL_SMOOTHING 0.1): inside Mixup's soft targets when Mixup is on, else in
    /// the cross-entropy.</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Evaluation's centre crop over the resized image (DATA.CROP / timm: 224 / 256 = 0.875); 1 = no crop.</summary>
    public double EvalCropRatio { get; init; } = 0.875;

    /// <summary>No augmentation at all: crop scale (1, 1), no flip, no RandAugment, erasing, Mixup or smoothing.</summary>
    public static FinetuneAugmentation None => new()
    {
        CropScale = (1, 1), FlipProbability = 0, RandAugment = null, RandomErasing = null, Mixup = null, LabelSmoothing = 0,
    };

    /// <summary>The training transform for <paramref name="size"/>² inputs: crop, flip, RandAugment, Normalize,
    /// erasing (the loader's images then arrive normalised).</summary>
    public IImageTransform Training(int size)
    {
        var steps = new List<IImageTransform>
        {
            new RandomResizedCrop(new RandomResizedCropOptions { Size = size, Scale = CropScale }),
        };
        if (FlipProbability > 0) steps.Add(new RandomHorizontalFlip(FlipProbability));
        if (RandAugment is not null) steps.Add(new RandAugment(RandAugment));
        steps.Add(new Normalize());
        if (RandomErasing is not null) steps.Add(new RandomErasing(RandomErasing));
        return new Compose(steps.ToArray());
    }

    /// <summary>The evaluation transform: resize the shorter side to ⌊size / crop ratio⌋ (timm), centre crop, Normalize.</summary>
    public IImageTransform Evaluation(int size)
    {
        int resized = (int)Math.Floor(size / EvalCropRatio);
        return new Compose(new Resize(resized), new CenterCrop(size), new Normalize());
    }
}
