using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Inverts the bright pixels, <c>x ≥ threshold → 1 − x</c>, with probability p (DINO main_dino.py
/// <c>Solarization(p=0.2)</c> on its second global crop, which calls PIL's <c>ImageOps.solarize</c>).
/// </summary>
/// <remarks>
/// PIL's default threshold is 128 of 255 on 8-bit pixels. On [0,1] that is 0.502; Folk.Lab's default 0.5 selects
/// exactly the same pixels of any 8-bit image, since no 8-bit value lies between 127/255 = 0.498 and 128/255.
/// </remarks>
public sealed class Solarize : IImageTransform
{
    /// <summary>Probability of solarizing.</summary>
    public double Probability { get; }

    /// <summary>Pixels at or above this value are inverted.</summary>
    public double Threshold { get; }

    /// <summary>Creates the transform (p: DINO's 0.2; threshold: 0.5, PIL's 128/255 for 8-bit data).</summary>
    public Solarize(double p = 0.2, double threshold = 0.5)
    {
        Probability = SingleImage.Probability(p, nameof(p));
        Guard.Probability(threshold, nameof(threshold));
        Threshold = threshold;
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < Probability ? Solarized(image, Threshold) : image.clone();
    }

    /// <summary><c>where(x ≥ threshold, 1 − x, x)</c>, always applied.</summary>
    public static Tensor Solarized(Tensor image, double threshold = 0.5)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        return where(image.ge(threshold), 1 - image, image).MoveToOuterDisposeScope();
    }
}
