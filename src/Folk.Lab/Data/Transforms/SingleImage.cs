using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>The argument check every transform makes: one 3×H×W floating-point image.</summary>
internal static class SingleImage
{
    public static void Check(Tensor image, string name)
    {
        ArgumentNullException.ThrowIfNull(image, name);
        if (image.dim() != 3 || image.shape[0] != 3)
            throw new ArgumentException($"{name} must be one 3×H×W image; got shape {Shape.Format(image)}.", name);
        if (!is_floating_point(image))
            throw new ArgumentException($"{name} must have a floating-point dtype (float32 in [0,1]); got {image.dtype}.", name);
        if (image.shape[1] < 1 || image.shape[2] < 1)
            throw new ArgumentException($"{name} must have at least one pixel; got shape {Shape.Format(image)}.", name);
    }

    /// <summary>A probability argument of a random transform.</summary>
    public static double Probability(double p, string name)
    {
        Guard.Probability(p, name);
        return p;
    }
}
