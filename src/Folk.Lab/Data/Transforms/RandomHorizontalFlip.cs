using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Mirrors an image left–right with probability p (torchvision <c>RandomHorizontalFlip</c>; MFM data/data_mfm.py and
/// DINO main_dino.py use it with the default p = 0.5).
/// </summary>
public sealed class RandomHorizontalFlip : IEightBitTransform
{
    /// <summary>Probability of flipping.</summary>
    public double Probability { get; }

    /// <summary>Creates the transform (p: torchvision's default 0.5, used by MFM and DINO).</summary>
    public RandomHorizontalFlip(double p = 0.5) => Probability = SingleImage.Probability(p, nameof(p));

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < Probability ? image.flip(2) : image.clone();
    }

    /// <inheritdoc/>
    public Tensor ApplyEightBit(Tensor pixels, Random random)
    {
        EightBitPixels.Check(pixels, nameof(pixels));
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < Probability ? pixels.flip(2) : pixels.clone();
    }
}
