using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// ImageNet-C's <c>clipped_zoom</c> (hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>): the
/// central ⌈H/z⌉×⌈H/z⌉ crop, zoomed by z with scipy's linear <see cref="LinearZoom"/>, and the central H×H of the
/// result, so the image is magnified about its centre and keeps its size. Zoom blur averages these; snow enlarges its
/// flakes with one.
/// </summary>
/// <remarks>The crop starts at ⌊(H − ⌈H/z⌉)/2⌋ and the trim at ⌊(round(⌈H/z⌉·z) − H)/2⌋, both floor divisions of
/// non-negative integers as in the published code. Defined for square images and z ≥ 1.</remarks>
public static class ClippedZoom
{
    /// <summary>The side of the central crop that is zoomed: <c>int(np.ceil(h / z))</c>.</summary>
    public static int CropSide(int side, double factor) => (int)Math.Ceiling(side / factor);

    /// <summary>Magnifies each channel of a square B×C×H×H batch by <paramref name="factor"/> (≥ 1) about the centre.</summary>
    /// <returns>B×C×H×H, in the input's dtype.</returns>
    public static Tensor Apply(Tensor images, double factor)
    {
        Guard.ImageBatch(images, nameof(images));
        Guard.Square(images, nameof(images), "clipped_zoom crops the same rows as columns");
        if (!(factor >= 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, $"clipped_zoom magnifies: factor must be >= 1; got {factor}.");
        using var scope = NewDisposeScope();
        int h = (int)images.shape[2];
        int crop = CropSide(h, factor), top = (h - crop) / 2;
        var central = images[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(top, top + crop), TensorIndex.Slice(top, top + crop)];
        var zoomed = LinearZoom.Apply(central, factor);
        int trim = ((int)zoomed.shape[2] - h) / 2;
        return zoomed[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(trim, trim + h), TensorIndex.Slice(trim, trim + h)]
            .contiguous().MoveToOuterDisposeScope();
    }
}
