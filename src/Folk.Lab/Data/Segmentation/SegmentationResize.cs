using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Data.Segmentation;

/// <summary>
/// mmsegmentation's <c>Resize</c> with <c>keep_ratio=True</c> (open-mmlab/mmsegmentation
/// <c>mmseg/datasets/pipelines/transforms.py</c> and mmcv's <c>imrescale</c>): the image is scaled by
/// <c>min(long / max(h, w), short / min(h, w))</c>, so that it fits inside the (long, short) box with its aspect kept,
/// to <c>int(w·f + 0.5)</c> × <c>int(h·f + 0.5)</c>; with a ratio range the box is first multiplied by a ratio drawn
/// uniformly from it, <c>(int(long·r), int(short·r))</c>. The image is resampled bilinearly, the class map by nearest
/// neighbour. ADE20K: box (2048, 512), ratio range (0.5, 2.0) in training, none at test time.
/// </summary>
/// <remarks>The image is resampled by libtorch's bilinear interpolation with half-pixel centres and no antialiasing,
/// the arithmetic of OpenCV's <c>INTER_LINEAR</c> that mmcv calls; Folk.Lab resamples float pixels where mmcv rounds
/// the result to 8 bits (a difference below half a level). Nearest neighbour takes source pixel ⌊dst · in/out⌋ in both.</remarks>
public sealed class SegmentationResize : ISegmentationTransform
{
    /// <summary>The box (long side, short side) the image must fit in (ADE20K: (2048, 512)).</summary>
    public (int Long, int Short) Scale { get; }

    /// <summary>Range of the random ratio the box is multiplied by (ADE20K training: (0.5, 2.0)); null: the box as it is.</summary>
    public (double Min, double Max)? RatioRange { get; }

    /// <summary>Creates the step.</summary>
    public SegmentationResize((int Long, int Short) scale, (double Min, double Max)? ratioRange = null)
    {
        Guard.Positive(scale.Long, nameof(scale));
        Guard.Positive(scale.Short, nameof(scale));
        if (ratioRange is { } r && !(r.Min > 0 && r.Min <= r.Max))
            throw new ArgumentOutOfRangeException(nameof(ratioRange), ratioRange, $"ratioRange must satisfy 0 < min <= max; got ({r.Min}, {r.Max}).");
        Scale = scale;
        RatioRange = ratioRange;
    }

    /// <inheritdoc/>
    public SegmentedImage Apply(SegmentedImage sample, Random random)
    {
        sample.Check(nameof(sample));
        ArgumentNullException.ThrowIfNull(random);
        var (longSide, shortSide) = Scale;
        if (RatioRange is { } range)
        {
            double ratio = random.NextDouble() * (range.Max - range.Min) + range.Min;
            (longSide, shortSide) = ((int)(longSide * ratio), (int)(shortSide * ratio));
        }
        var (h, w) = OutputSize((int)sample.Image.shape[1], (int)sample.Image.shape[2], longSide, shortSide);
        return new SegmentedImage(ResizeImage(sample.Image, h, w), ResizeMask(sample.Mask, h, w));
    }

    /// <summary>The size mmcv's <c>imrescale</c> gives an image of <paramref name="height"/> × <paramref name="width"/>
    /// for the box (<paramref name="longSide"/>, <paramref name="shortSide"/>).</summary>
    public static (int Height, int Width) OutputSize(int height, int width, int longSide, int shortSide)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        double factor = Math.Min((double)longSide / Math.Max(height, width), (double)shortSide / Math.Min(height, width));
        return ((int)(height * factor + 0.5), (int)(width * factor + 0.5));
    }

    /// <summary>A C×H×W float image resized bilinearly (half-pixel centres, no antialiasing); a copy when the size
    /// does not change.</summary>
    public static Tensor ResizeImage(Tensor image, long height, long width)
    {
        if (image.shape[^2] == height && image.shape[^1] == width) return image.clone();
        using var batch = image.unsqueeze(0);
        using var resized = interpolate(batch, new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.squeeze(0);
    }

    /// <summary>An H×W int64 class map resized by nearest neighbour (source pixel ⌊dst · in/out⌋); a copy when the size
    /// does not change.</summary>
    public static Tensor ResizeMask(Tensor mask, long height, long width)
    {
        if (mask.shape[0] == height && mask.shape[1] == width) return mask.clone();
        using var scope = NewDisposeScope();
        var values = mask.to(ScalarType.Float32).unsqueeze(0).unsqueeze(0);           // class indices ≤ 255 are exact in float32
        var resized = interpolate(values, new[] { height, width }, mode: InterpolationMode.Nearest);
        return resized.squeeze(0).squeeze(0).to(ScalarType.Int64).MoveToOuterDisposeScope();
    }
}
