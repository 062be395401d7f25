using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Crops the centre of an image (torchvision <c>CenterCrop</c>; the evaluation recipe's <c>CenterCrop(224)</c> after
/// <c>Resize(256)</c>). The top-left corner is <c>round((H − h) / 2)</c>, <c>round((W − w) / 2)</c>, rounding halves
/// to even as Python's <c>round</c> does; an image smaller than the crop is first padded with zeros, split as
/// torchvision splits it (the extra pixel of an odd difference goes right and bottom).
/// </summary>
public sealed class CenterCrop : IImageTransform
{
    /// <summary>Output height in pixels.</summary>
    public int Height { get; }

    /// <summary>Output width in pixels.</summary>
    public int Width { get; }

    /// <summary>A square crop of <paramref name="size"/> pixels.</summary>
    public CenterCrop(int size) : this(size, size)
    {
    }

    /// <summary>A crop of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public CenterCrop(int height, int width)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        Height = height;
        Width = width;
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        using var scope = NewDisposeScope();
        var x = image;
        long h = image.shape[1], w = image.shape[2];
        if (Height > h || Width > w)
        {
            long padW = Math.Max(0, Width - w), padH = Math.Max(0, Height - h);
            x = pad(x, new[] { padW / 2, (padW + 1) / 2, padH / 2, (padH + 1) / 2 }, PaddingModes.Constant, 0);
            (h, w) = (x.shape[1], x.shape[2]);
        }
        long top = (long)Math.Round((h - Height) / 2.0, MidpointRounding.ToEven);
        long left = (long)Math.Round((w - Width) / 2.0, MidpointRounding.ToEven);
        return x.narrow(1, top, Height).narrow(2, left, Width).clone().MoveToOuterDisposeScope();
    }
}
