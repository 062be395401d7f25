using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Replaces an image by its luma, repeated in the three channels, with probability p (torchvision
/// <c>RandomGrayscale</c>; DINO main_dino.py uses p = 0.2).
/// </summary>
/// <remarks>
/// Luma is ITU-R 601-2: <c>L = 0.299 R + 0.587 G + 0.114 B</c>, the formula of PIL's <c>convert("L")</c>, which
/// torchvision applies to the PIL images of MFM's and DINO's pipelines. (torchvision's tensor path writes 0.2989 for
/// red; the difference is at most 1e-4.) The same luma serves <see cref="ColorJitter"/>'s contrast and saturation.
/// </remarks>
public sealed class RandomGrayscale : IImageTransform
{
    /// <summary>ITU-R 601-2 luma weights of R, G and B.</summary>
    public static IReadOnlyList<double> LumaWeights { get; } = new[] { 0.299, 0.587, 0.114 };

    /// <summary>Probability of converting.</summary>
    public double Probability { get; }

    /// <summary>Creates the transform (p: DINO main_dino.py <c>RandomGrayscale(p=0.2)</c>; torchvision's default is 0.1).</summary>
    public RandomGrayscale(double p = 0.2) => Probability = SingleImage.Probability(p, nameof(p));

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() >= Probability) return image.clone();
        using var scope = NewDisposeScope();
        return Luma(image).expand(3, -1, -1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The 1×H×W luma of a 3×H×W image, in its dtype.</summary>
    public static Tensor Luma(Tensor image)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var rgb = image.unbind(0);
        var luma = LumaWeights[0] * rgb[0] + LumaWeights[1] * rgb[1] + LumaWeights[2] * rgb[2];
        return luma.unsqueeze(0).MoveToOuterDisposeScope();
    }
}
