using Folk.Lab.Models.Segmentation;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>How a segmenter sees a test image (mmsegmentation's <c>test_cfg.mode</c>).</summary>
public enum InferenceMode
{
    /// <summary>The whole image in one pass (<c>mode='whole'</c>).</summary>
    Whole,

    /// <summary>Overlapping crops whose logits are averaged (<c>mode='slide'</c>).</summary>
    Slide,
}

/// <summary>Test-time inference settings; defaults are the MAE and BEiT ADE20K configs'
/// (<c>test_cfg=dict(mode='slide', crop_size=(512, 512), stride=(341, 341))</c>).</summary>
public sealed record SegmentationInferenceOptions
{
    /// <summary>Whole image or sliding window.</summary>
    public InferenceMode Mode { get; init; } = InferenceMode.Slide;

    /// <summary>Side of a sliding window (512).</summary>
    public int CropSize { get; init; } = 512;

    /// <summary>Step between windows (341: windows overlap by a third).</summary>
    public int Stride { get; init; } = 341;
}

/// <summary>
/// Single-scale inference as mmsegmentation's <c>EncoderDecoder</c> runs it (open-mmlab/mmsegmentation
/// <c>mmseg/models/segmentors/encoder_decoder.py</c>, <c>whole_inference</c> and <c>slide_inference</c>): the logits of
/// the whole image, or of windows at offsets <c>i·stride</c> (the last one in each direction moved back to end at the
/// border: <c>y1 = max(min(i·stride + crop, H) − crop, 0)</c>, ⌈(H − crop)/stride⌉ + 1 rows of them), summed into the
/// image's frame and divided by the number of windows covering each pixel.
/// </summary>
/// <remarks>A ViT reads whole patches, so an input (or a window, where the image is smaller than one) whose side is no
/// multiple of the patch size is padded at the bottom and right with zeros (the mean colour after normalisation) to the
/// next multiple and its logits are cropped back; the reference's patch embedding pads the same way
/// (mmsegmentation <c>PatchEmbed(padding='corner')</c>). Runs without gradients, in the model's current mode (callers
/// put it in evaluation mode).</remarks>
public static class SegmentationInference
{
    /// <summary>B×K×H×W logits of <paramref name="images"/> (B×3×H×W, normalised, on the model's device).</summary>
    public static Tensor Logits(UperNet model, Tensor images, SegmentationInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        Guard.ImageBatch(images, nameof(images));
        using var noGrad = no_grad();
        if (options.Mode == InferenceMode.Whole) return Padded(model, images);
        Guard.Positive(options.CropSize, nameof(options.CropSize));
        Guard.Positive(options.Stride, nameof(options.Stride));
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3], crop = options.CropSize, stride = options.Stride;
        long rows = Math.Max(h - crop + stride - 1, 0) / stride + 1, columns = Math.Max(w - crop + stride - 1, 0) / stride + 1;
        Tensor? sum = null;
        var count = zeros(new long[] { 1, 1, h, w }, dtype: ScalarType.Float32, device: images.device);
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++)
            {
                long y2 = Math.Min(r * stride + crop, h), x2 = Math.Min(c * stride + crop, w);
                long y1 = Math.Max(y2 - crop, 0), x1 = Math.Max(x2 - crop, 0);
                var window = Padded(model, images.narrow(2, y1, y2 - y1).narrow(3, x1, x2 - x1));
                sum ??= zeros(new long[] { images.shape[0], window.shape[1], h, w }, dtype: ScalarType.Float32, device: images.device);
                sum.narrow(2, y1, y2 - y1).narrow(3, x1, x2 - x1).add_(window);
                count.narrow(2, y1, y2 - y1).narrow(3, x1, x2 - x1).add_(1);
            }
        return (sum! / count).MoveToOuterDisposeScope();
    }

    /// <summary>The model's logits for B×3×H×W images of any size: padded to whole patches, cropped back; float32.</summary>
    static Tensor Padded(UperNet model, Tensor images)
    {
        using var scope = NewDisposeScope();
        long p = model.Backbone.Config.PatchSize, h = images.shape[2], w = images.shape[3];
        long ph = (h + p - 1) / p * p, pw = (w + p - 1) / p * p;
        var input = ph == h && pw == w ? images : pad(images, new[] { 0, pw - w, 0, ph - h }, PaddingModes.Constant, 0);
        var logits = model.forward(input).to(ScalarType.Float32);
        if (ph != h || pw != w) logits = logits.narrow(2, 0, h).narrow(3, 0, w);
        return logits.contiguous().MoveToOuterDisposeScope();
    }
}
