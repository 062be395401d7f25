using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Options of <see cref="ColorJitter"/>: the strength of each adjustment, 0 to leave it out.</summary>
/// <remarks>Defaults: DINO main_dino.py <c>ColorJitter(brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)</c>
/// (applied with p = 0.8, <see cref="RandomApply.DinoColorJitter"/>); torchvision's own defaults are all 0.</remarks>
public sealed record ColorJitterOptions
{
    /// <summary>b: the brightness factor is drawn from [max(0, 1 − b), 1 + b] (DINO: 0.4).</summary>
    public double Brightness { get; init; } = 0.4;

    /// <summary>c: the contrast factor is drawn from [max(0, 1 − c), 1 + c] (DINO: 0.4).</summary>
    public double Contrast { get; init; } = 0.4;

    /// <summary>s: the saturation factor is drawn from [max(0, 1 − s), 1 + s] (DINO: 0.2).</summary>
    public double Saturation { get; init; } = 0.2;

    /// <summary>h: the hue shift is drawn from [−h, h] of a full turn, h ≤ 0.5 (DINO: 0.1).</summary>
    public double Hue { get; init; } = 0.1;

    internal void Validate()
    {
        Guard.NonNegative(Brightness, nameof(Brightness));
        Guard.NonNegative(Contrast, nameof(Contrast));
        Guard.NonNegative(Saturation, nameof(Saturation));
        if (!(Hue >= 0 && Hue <= 0.5)) throw new ArgumentOutOfRangeException(nameof(Hue), Hue, $"Hue must be in [0, 0.5]; got {Hue}.");
    }
}

/// <summary>
/// Random brightness, contrast, saturation and hue changes in a random order (torchvision <c>ColorJitter</c>): each
/// call draws a permutation of the four, then a factor for each enabled one, and applies them in that order.
/// </summary>
/// <remarks>
/// The adjustments are torchvision's tensor formulas: brightness <c>clamp(f·x)</c>; contrast
/// <c>clamp(f·x + (1 − f)·mean(luma))</c>; saturation <c>clamp(f·x + (1 − f)·luma)</c>; hue shifts H in HSV by f
/// turns. Luma is ITU-R 601-2 (<see cref="RandomGrayscale.LumaWeights"/>).
/// </remarks>
public sealed class ColorJitter : IImageTransform
{
    /// <summary>The options in use.</summary>
    public ColorJitterOptions Options { get; }

    /// <summary>Creates the transform; throws for out-of-range options.</summary>
    public ColorJitter(ColorJitterOptions? options = null)
    {
        Options = options ?? new ColorJitterOptions();
        Options.Validate();
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        var order = new[] { 0, 1, 2, 3 };
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        double? brightness = Factor(random, Options.Brightness), contrast = Factor(random, Options.Contrast);
        double? saturation = Factor(random, Options.Saturation);
        double? hue = Options.Hue > 0 ? -Options.Hue + 2 * Options.Hue * random.NextDouble() : null;

        var current = image.clone();
        foreach (var step in order)
        {
            Tensor? next = step switch
            {
                0 when brightness is { } f => AdjustBrightness(current, f),
                1 when contrast is { } f => AdjustContrast(current, f),
                2 when saturation is { } f => AdjustSaturation(current, f),
                3 when hue is { } f => AdjustHue(current, f),
                _ => null,
            };
            if (next is null) continue;
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>A factor from [max(0, 1 − strength), 1 + strength], or null when the adjustment is off.</summary>
    static double? Factor(Random random, double strength)
    {
        if (strength == 0) return null;
        double min = Math.Max(0, 1 - strength), max = 1 + strength;
        return min + (max - min) * random.NextDouble();
    }

    /// <summary><c>clamp(f·x, 0, 1)</c>: blends with black; f = 1 leaves the image unchanged.</summary>
    public static Tensor AdjustBrightness(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        Guard.NonNegative(factor, nameof(factor));
        using var scope = NewDisposeScope();
        return Blend(image, zeros_like(image), factor).MoveToOuterDisposeScope();
    }

    /// <summary><c>clamp(f·x + (1 − f)·m, 0, 1)</c> with m the mean luma of the image; f = 1 leaves it unchanged.</summary>
    public static Tensor AdjustContrast(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        Guard.NonNegative(factor, nameof(factor));
        using var scope = NewDisposeScope();
        var mean = RandomGrayscale.Luma(image).mean();
        return Blend(image, mean, factor).MoveToOuterDisposeScope();
    }

    /// <summary><c>clamp(f·x + (1 − f)·luma, 0, 1)</c> per pixel; f = 0 gives the grayscale image, f = 1 the image.</summary>
    public static Tensor AdjustSaturation(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        Guard.NonNegative(factor, nameof(factor));
        using var scope = NewDisposeScope();
        return Blend(image, RandomGrayscale.Luma(image), factor).MoveToOuterDisposeScope();
    }

    /// <summary>Rotates the hue by <paramref name="factor"/> of a full turn (−0.5 … 0.5) in HSV space.</summary>
    public static Tensor AdjustHue(Tensor image, double factor)
    {
        SingleImage.Check(image, nameof(image));
        if (!(factor >= -0.5 && factor <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be in [-0.5, 0.5]; got {factor}.");
        using var scope = NewDisposeScope();
        var hsv = Hsv.FromRgb(image);
        var c = hsv.unbind(0);
        var shifted = stack(new[] { (c[0] + factor).remainder(1.0), c[1], c[2] });
        return Hsv.ToRgb(shifted).to(image.dtype).MoveToOuterDisposeScope();
    }

    static Tensor Blend(Tensor image, Tensor other, double factor) => (factor * image + (1 - factor) * other).clamp_(0, 1);
}
