using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Resizes an image with bicubic interpolation: its shorter side to N pixels keeping the aspect ratio (torchvision
/// <c>Resize(N)</c>, the evaluation recipe's <c>Resize(256)</c> before <c>CenterCrop(224)</c>), or to an exact
/// height × width.
/// </summary>
/// <remarks>
/// <para>The interpolation is libtorch's <c>interpolate(mode = "bicubic", align_corners = False)</c> (torchvision's
/// tensor path, and what MFM's <c>INTERPOLATION = 'bicubic'</c> asks of PIL). When a side shrinks, the antialiased
/// kernel is used (<c>antialias = True</c>, libtorch's port of PIL's resampling, so downscaling does not alias as
/// plain bicubic sampling would); when no side shrinks, plain bicubic (Keys, a = −0.75) is used, as torchvision 0.14
/// does by default for tensors. Bicubic overshoots, so the result is clamped to [0,1].</para>
/// </remarks>
public sealed class Resize : IImageTransform
{
    /// <summary>Target of the shorter side, or null when <see cref="Size"/> is set.</summary>
    public int? ShorterSide { get; }

    /// <summary>Exact output size, or null when <see cref="ShorterSide"/> is set.</summary>
    public (int Height, int Width)? Size { get; }

    /// <summary>Resizes the shorter side to <paramref name="shorterSide"/> pixels, the longer in proportion (torchvision <c>Resize(int)</c>).</summary>
    public Resize(int shorterSide)
    {
        Guard.Positive(shorterSide, nameof(shorterSide));
        ShorterSide = shorterSide;
    }

    /// <summary>Resizes to exactly <paramref name="height"/> × <paramref name="width"/> (torchvision <c>Resize((h, w))</c>).</summary>
    public Resize(int height, int width)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        Size = (height, width);
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        var (h, w) = Size ?? OutputSize((int)image.shape[1], (int)image.shape[2], ShorterSide!.Value);
        return Bicubic(image, h, w);
    }

    /// <summary>
    /// Output size of <c>Resize(shorterSide)</c> for an image of <paramref name="height"/> × <paramref name="width"/>:
    /// the shorter side becomes <paramref name="shorterSide"/> and the longer <c>int(shorterSide · long / short)</c>,
    /// truncated as torchvision computes it.
    /// </summary>
    public static (int Height, int Width) OutputSize(int height, int width, int shorterSide)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        Guard.Positive(shorterSide, nameof(shorterSide));
        int shorter = Math.Min(height, width), longer = Math.Max(height, width);
        int newLonger = (int)(shorterSide * (double)longer / shorter);
        return width <= height ? (newLonger, shorterSide) : (shorterSide, newLonger);
    }

    /// <summary>
    /// Bicubic resize of a 3×H×W image to <paramref name="height"/> × <paramref name="width"/>, antialiased when a
    /// side shrinks, clamped to [0,1]; a copy when the size does not change.
    /// </summary>
    internal static Tensor Bicubic(Tensor image, long height, long width)
    {
        if (image.shape[1] == height && image.shape[2] == width) return image.clone();
        bool shrinks = height < image.shape[1] || width < image.shape[2];
        using var scope = NewDisposeScope();
        var resized = interpolate(image.unsqueeze(0), new[] { height, width }, mode: InterpolationMode.Bicubic,
            align_corners: false, antialias: shrinks);
        return resized.squeeze(0).clamp_(PinnedScalars.Zero, PinnedScalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Bicubic"/> on C×H×W uint8 pixels (any strides): libtorch's 8-bit resampling, which rounds and
    /// saturates after each separable pass as PIL does; a copy when the size does not change.
    /// </summary>
    internal static Tensor BicubicEightBit(Tensor pixels, long height, long width)
    {
        if (pixels.shape[1] == height && pixels.shape[2] == width) return pixels.clone();
        bool shrinks = height < pixels.shape[1] || width < pixels.shape[2];
        using var scope = NewDisposeScope();
        var resized = interpolate(pixels.unsqueeze(0), new[] { height, width }, mode: InterpolationMode.Bicubic,
            align_corners: false, antialias: shrinks);
        return resized.squeeze(0).MoveToOuterDisposeScope();
    }
}
