using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Applies a transform with probability p, otherwise returns a copy (torchvision <c>RandomApply</c>; DINO
/// main_dino.py wraps its <see cref="ColorJitter"/> in one with p = 0.8).
/// </summary>
public sealed class RandomApply : IImageTransform
{
    /// <summary>The transform applied.</summary>
    public IImageTransform Transform { get; }

    /// <summary>Probability of applying it.</summary>
    public double Probability { get; }

    /// <summary>Creates the wrapper (p: torchvision's default 0.5; DINO's colour jitter uses 0.8).</summary>
    public RandomApply(IImageTransform transform, double p = 0.5)
    {
        Transform = transform ?? throw new ArgumentNullException(nameof(transform));
        Probability = SingleImage.Probability(p, nameof(p));
    }

    /// <summary>DINO's colour augmentation: <c>RandomApply([ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8)</c> (main_dino.py).</summary>
    public static RandomApply DinoColorJitter => new(new ColorJitter(), 0.8);

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < Probability ? Transform.Apply(image, random) : image.clone();
    }
}
