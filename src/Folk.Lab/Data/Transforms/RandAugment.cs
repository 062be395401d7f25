using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Options of <see cref="RandAugment"/>.</summary>
/// <remarks>Defaults: timm 0.4.12 <c>rand_augment_transform('rand-m9-mstd0.5-inc1', hparams)</c> as MFM's fine-tuning
/// builds it (MFM config.py <c>_C.AUG.AUTO_AUGMENT = 'rand-m9-mstd0.5-inc1'</c>, data/data_finetune.py
/// <c>create_transform(…, interpolation='bicubic')</c>; the hparams come from timm
/// <c>timm/data/transforms_factory.py</c> <c>transforms_imagenet_train</c>).</remarks>
public sealed record RandAugmentOptions
{
    /// <summary>Operations drawn per image, with replacement (timm: <c>num_layers = 2</c> unless the config string
    /// has an 'n' part, which MFM's has not).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>m, the magnitude on timm's scale [0, 10] (the 'm9').</summary>
    public double Magnitude { get; init; } = 9;

    /// <summary>Standard deviation of the Gaussian noise added to m for each applied operation, the result clipped to
    /// [0, 10] (the 'mstd0.5', timm <c>AugmentOp</c>); 0 keeps m fixed, +∞ draws m uniformly from [0, m].</summary>
    public double MagnitudeStd { get; init; } = 0.5;

    /// <summary>Probability that each drawn operation is applied (timm <c>rand_augment_ops</c>: <c>prob=0.5</c>).</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>The operations drawn from, uniformly (the 'inc1': <see cref="IncreasingOps"/>).</summary>
    public IReadOnlyList<RandAugmentOp> Ops { get; init; } = IncreasingOps;

    /// <summary>Largest translation as a fraction of the side (timm <c>_translate_rel_level_to_arg</c>:
    /// <c>hparams.get('translate_pct', 0.45)</c>; timm's <c>translate_const = 100</c> serves only the absolute
    /// translations, which neither op set uses).</summary>
    public double TranslateFraction { get; init; } = 0.45;

    /// <summary>8-bit colour of the pixels that rotations, shears and translations bring in (timm
    /// transforms_factory.py: <c>img_mean = round(255 · IMAGENET_DEFAULT_MEAN)</c> = (124, 116, 104)).</summary>
    public (int R, int G, int B) Fill { get; init; } = (124, 116, 104);

    /// <summary>Filter of the geometric operations (MFM config.py <c>_C.DATA.INTERPOLATION = 'bicubic'</c>, which timm
    /// passes on as <c>hparams['interpolation']</c>; without it timm picks bilinear or bicubic at random).</summary>
    public AffineInterpolation Interpolation { get; init; } = AffineInterpolation.Bicubic;

    /// <summary>timm <c>_RAND_INCREASING_TRANSFORMS</c> (the 'inc1' set), in timm's order.</summary>
    public static IReadOnlyList<RandAugmentOp> IncreasingOps { get; } = new[]
    {
        RandAugmentOp.AutoContrast, RandAugmentOp.Equalize, RandAugmentOp.Invert, RandAugmentOp.Rotate,
        RandAugmentOp.PosterizeIncreasing, RandAugmentOp.SolarizeIncreasing, RandAugmentOp.SolarizeAdd,
        RandAugmentOp.ColorIncreasing, RandAugmentOp.ContrastIncreasing, RandAugmentOp.BrightnessIncreasing,
        RandAugmentOp.SharpnessIncreasing, RandAugmentOp.ShearX, RandAugmentOp.ShearY, RandAugmentOp.TranslateXRel,
        RandAugmentOp.TranslateYRel,
    };

    /// <summary>timm <c>_RAND_TRANSFORMS</c> (the default set, without 'inc1'), in timm's order.</summary>
    public static IReadOnlyList<RandAugmentOp> StandardOps { get; } = new[]
    {
        RandAugmentOp.AutoContrast, RandAugmentOp.Equalize, RandAugmentOp.Invert, RandAugmentOp.Rotate,
        RandAugmentOp.Posterize, RandAugmentOp.Solarize, RandAugmentOp.SolarizeAdd, RandAugmentOp.Color,
        RandAugmentOp.Contrast, RandAugmentOp.Brightness, RandAugmentOp.Sharpness, RandAugmentOp.ShearX,
        RandAugmentOp.ShearY, RandAugmentOp.TranslateXRel, RandAugmentOp.TranslateYRel,
    };

    internal void Validate()
    {
        Guard.NonNegative(Layers, nameof(Layers));
        if (!(Magnitude >= 0 && Magnitude <= RandAugment.MaxMagnitude))
            throw new ArgumentOutOfRangeException(nameof(Magnitude), Magnitude, $"Magnitude must be in [0, {RandAugment.MaxMagnitude}]; got {Magnitude}.");
        Guard.NonNegative(MagnitudeStd, nameof(MagnitudeStd));
        Guard.Probability(Probability, nameof(Probability));
        if (Ops is null || (Ops.Count == 0 && Layers > 0))
            throw new ArgumentException($"Ops must hold at least one operation when Layers > 0; got {Ops?.Count ?? 0}.", nameof(Ops));
        if (!(TranslateFraction >= 0 && double.IsFinite(TranslateFraction)))
            throw new ArgumentOutOfRangeException(nameof(TranslateFraction), TranslateFraction, $"TranslateFraction must be finite and >= 0; got {TranslateFraction}.");
        if (Fill.R is < 0 or > 255 || Fill.G is < 0 or > 255 || Fill.B is < 0 or > 255)
            throw new ArgumentOutOfRangeException(nameof(Fill), Fill, $"Fill must hold three 8-bit levels in [0, 255]; got {Fill}.");
    }
}

/// <summary>
/// timm's RandAugment (Cubuk et al., 2020; timm 0.4.12 <c>timm/data/auto_augment.py</c> <c>RandAugment</c> and
/// <c>AugmentOp</c>), part of MFM's fine-tuning augmentation: draw <c>Layers</c> operations uniformly with
/// replacement; apply each with probability p, at a magnitude drawn from Normal(m, σ) clipped to [0, 10], with a
/// random sign for the signed ones.
/// </summary>
/// <remarks>
/// timm runs it on the 8-bit PIL image between the random resized crop and <c>ToTensor</c>. Here the input, 3×H×W in
/// [0,1], is rounded to the 8-bit grid first (<c>round(255·x)</c>, as PIL's resize rounds its output), every operation
/// maps the grid to itself exactly as PIL does (<see cref="ImageOps"/>, <see cref="ImageEnhance"/>,
/// <see cref="AffineWarp"/>), and the output is <c>v / 255</c>, even when no operation was applied.
/// The draws, in timm's order, all from the <see cref="Random"/> passed in: the operations, then for each one the
/// coin, the magnitude and the sign.
/// </remarks>
public sealed class RandAugment : IImageTransform
{
    /// <summary>The top of the magnitude scale (timm <c>_MAX_LEVEL = 10</c>).</summary>
    public const double MaxMagnitude = 10;

    /// <summary>The options in use.</summary>
    public RandAugmentOptions Options { get; }

    /// <summary>Creates the transform (default: <c>rand-m9-mstd0.5-inc1</c>); throws for out-of-range options.</summary>
    public RandAugment(RandAugmentOptions? options = null)
    {
        Options = options ?? new RandAugmentOptions();
        Options.Validate();
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        var chosen = Enumerable.Range(0, Options.Layers).Select(_ => Options.Ops[random.Next(Options.Ops.Count)]).ToArray();
        Tensor current;
        using (var levels = EightBit.Levels(image)) current = EightBit.ToUnit(levels, image.dtype);
        foreach (var op in chosen)
        {
            if (random.NextDouble() >= Options.Probability) continue;
            double magnitude = SampleMagnitude(random);
            int sign = IsSigned(op) && random.NextDouble() > 0.5 ? -1 : 1;      // timm _randomly_negate
            var next = ApplyOp(current, op, Argument(op, magnitude, sign));
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>One magnitude: Normal(m, σ) (uniform on [0, m] for σ = +∞, m itself for σ = 0), clipped to [0, 10].</summary>
    public double SampleMagnitude(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double m = Options.Magnitude;
        if (double.IsPositiveInfinity(Options.MagnitudeStd)) m = RandomVariates.Uniform(random, 0, m);
        else if (Options.MagnitudeStd > 0) m = RandomVariates.Normal(random, m, Options.MagnitudeStd);
        return Math.Clamp(m, 0, MaxMagnitude);
    }

    /// <summary>Whether the operation's argument gets a random sign (rotate, shears, translations, the increasing
    /// enhancements).</summary>
    public static bool IsSigned(RandAugmentOp op) => op is RandAugmentOp.Rotate or RandAugmentOp.ShearX or RandAugmentOp.ShearY
        or RandAugmentOp.TranslateXRel or RandAugmentOp.TranslateYRel or RandAugmentOp.ColorIncreasing
        or RandAugmentOp.ContrastIncreasing or RandAugmentOp.BrightnessIncreasing or RandAugmentOp.SharpnessIncreasing;

    /// <summary>
    /// The operation's argument at <paramref name="magnitude"/> (timm <c>LEVEL_TO_ARG</c>; the formulas are on
    /// <see cref="RandAugmentOp"/>): degrees, bits, an 8-bit threshold or addition, an enhancement factor, a shear
    /// factor or a translation fraction; 0 for the operations without one. <paramref name="sign"/> (±1) applies to the
    /// signed operations only.
    /// </summary>
    public double Argument(RandAugmentOp op, double magnitude, int sign = 1)
    {
        if (!(magnitude >= 0 && magnitude <= MaxMagnitude))
            throw new ArgumentOutOfRangeException(nameof(magnitude), magnitude, $"magnitude must be in [0, {MaxMagnitude}]; got {magnitude}.");
        if (sign is not (1 or -1)) throw new ArgumentOutOfRangeException(nameof(sign), sign, $"sign must be 1 or -1; got {sign}.");
        double level = magnitude / MaxMagnitude;
        return op switch
        {
            RandAugmentOp.AutoContrast or RandAugmentOp.Equalize or RandAugmentOp.Invert => 0,
            RandAugmentOp.Rotate => sign * (level * 30.0),
            RandAugmentOp.Posterize => (int)(level * 4),
            RandAugmentOp.PosterizeIncreasing => 4 - (int)(level * 4),
            RandAugmentOp.Solarize => (int)(level * 256),
            RandAugmentOp.SolarizeIncreasing => 256 - (int)(level * 256),
            RandAugmentOp.SolarizeAdd => (int)(level * 110),
            RandAugmentOp.Color or RandAugmentOp.Contrast or RandAugmentOp.Brightness or RandAugmentOp.Sharpness => level * 1.8 + 0.1,
            RandAugmentOp.ColorIncreasing or RandAugmentOp.ContrastIncreasing or RandAugmentOp.BrightnessIncreasing
                or RandAugmentOp.SharpnessIncreasing => 1.0 + sign * (level * 0.9),
            RandAugmentOp.ShearX or RandAugmentOp.ShearY => sign * (level * 0.3),
            RandAugmentOp.TranslateXRel or RandAugmentOp.TranslateYRel => sign * (level * Options.TranslateFraction),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, $"unknown operation {op}."),
        };
    }

    /// <summary>Applies one operation with a given <see cref="Argument"/>, with this transform's fill colour and
    /// filter; translations are fractions of the side (timm <c>pixels = fraction · width</c>).</summary>
    public Tensor ApplyOp(Tensor image, RandAugmentOp op, double argument)
    {
        SingleImage.Check(image, nameof(image));
        var (fill, filter) = (Options.Fill, Options.Interpolation);
        return op switch
        {
            RandAugmentOp.AutoContrast => ImageOps.AutoContrast(image),
            RandAugmentOp.Equalize => ImageOps.Equalize(image),
            RandAugmentOp.Invert => ImageOps.Invert(image),
            RandAugmentOp.Rotate => AffineWarp.Rotate(image, argument, fill, filter),
            RandAugmentOp.Posterize or RandAugmentOp.PosterizeIncreasing => ImageOps.Posterize(image, (int)argument),
            RandAugmentOp.Solarize or RandAugmentOp.SolarizeIncreasing => ImageOps.Solarize(image, (int)argument),
            RandAugmentOp.SolarizeAdd => ImageOps.SolarizeAdd(image, (int)argument),
            RandAugmentOp.Color or RandAugmentOp.ColorIncreasing => ImageEnhance.Color(image, argument),
            RandAugmentOp.Contrast or RandAugmentOp.ContrastIncreasing => ImageEnhance.Contrast(image, argument),
            RandAugmentOp.Brightness or RandAugmentOp.BrightnessIncreasing => ImageEnhance.Brightness(image, argument),
            RandAugmentOp.Sharpness or RandAugmentOp.SharpnessIncreasing => ImageEnhance.Sharpness(image, argument),
            RandAugmentOp.ShearX => AffineWarp.ShearX(image, argument, fill, filter),
            RandAugmentOp.ShearY => AffineWarp.ShearY(image, argument, fill, filter),
            RandAugmentOp.TranslateXRel => AffineWarp.TranslateX(image, argument * image.shape[2], fill, filter),
            RandAugmentOp.TranslateYRel => AffineWarp.TranslateY(image, argument * image.shape[1], fill, filter),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, $"unknown operation {op}."),
        };
    }
}
