using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>The argument check of the 8-bit path (<see cref="IEightBitTransform"/>): one C×H×W uint8 image, C = 3 or 4.</summary>
internal static class EightBitPixels
{
    public static void Check(Tensor pixels, string name)
    {
        ArgumentNullException.ThrowIfNull(pixels, name);
        if (pixels.dim() != 3 || pixels.shape[0] is not (3 or 4) || pixels.shape[1] < 1 || pixels.shape[2] < 1)
            throw new ArgumentException($"{name} must be one C×H×W image with C = 3 (RGB) or 4 (RGBA); got shape {Shape.Format(pixels)}.", name);
        if (pixels.dtype != ScalarType.Byte)
            throw new ArgumentException($"{name} must be 8-bit pixels (uint8); got {pixels.dtype}. Float images go through Apply.", name);
    }
}
