using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Data.Segmentation;

/// <summary>
/// Pads an image and its class map at the bottom and right to a fixed size: the image with 0 (after normalisation:
/// the mean colour), the map with <see cref="SegmentationLabels.Ignore"/>, so that padded pixels teach nothing
/// (mmsegmentation <c>Pad(size=crop_size, pad_val=0, seg_pad_val=255)</c>, open-mmlab/mmsegmentation
/// <c>mmseg/datasets/pipelines/transforms.py</c>, through mmcv's <c>impad</c>, which pads bottom and right).
/// </summary>
public sealed class SegmentationPad : ISegmentationTransform
{
    /// <summary>Height after padding.</summary>
    public int Height { get; }

    /// <summary>Width after padding.</summary>
    public int Width { get; }

    /// <summary>Pads to <paramref name="height"/> × <paramref name="width"/>.</summary>
    public SegmentationPad(int height, int width)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        Height = height;
        Width = width;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The image is larger than the padded size.</exception>
    public SegmentedImage Apply(SegmentedImage sample, Random random)
    {
        sample.Check(nameof(sample));
        long h = sample.Image.shape[1], w = sample.Image.shape[2];
        if (h > Height || w > Width)
            throw new ArgumentException($"sample is {h}×{w}, larger than the padded size {Height}×{Width}; crop it first.", nameof(sample));
        var pad = new[] { 0, Width - w, 0, Height - h };
        return new SegmentedImage(
            nn.functional.pad(sample.Image, pad, PaddingModes.Constant, 0),
            nn.functional.pad(sample.Mask, pad, PaddingModes.Constant, SegmentationLabels.Ignore));
    }
}
