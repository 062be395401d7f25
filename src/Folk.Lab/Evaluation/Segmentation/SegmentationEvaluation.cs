using Folk.Lab.Data;
using Folk.Lab.Models.Segmentation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>
/// Scores a segmenter on a data set as mmsegmentation's single-scale test does (open-mmlab/mmsegmentation
/// <c>configs/_base_/datasets/ade20k.py</c> test pipeline, <c>EncoderDecoder.inference</c> with <c>rescale=True</c>):
/// each image resized into the test box keeping its ratio and normalised, its logits from
/// <see cref="SegmentationInference"/>, resized bilinearly back to the image's original size, the arg-max compared with
/// the original, unresized class map, accumulated by <see cref="IntersectionOverUnion"/>. One image at a time, in
/// evaluation mode, without gradients.
/// </summary>
public static class SegmentationEvaluation
{
    /// <summary>The score of <paramref name="model"/> on <paramref name="data"/> (every sample must carry its map).</summary>
    public static SegmentationScore Evaluate(UperNet model, IImageDataset data, int classes, SegmentationAugmentation pipeline,
        SegmentationInferenceOptions inference, Device device, int workers = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            var metric = new IntersectionOverUnion(classes);
            var loader = new DataLoader(data, null, new DataLoaderOptions
            {
                BatchSize = 1, Shuffle = false, DropLast = false, Workers = workers > 0 ? workers : Environment.ProcessorCount,
            });
            using var noGrad = no_grad();
            foreach (var batch in loader.Epoch(0))
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                var truth = batch.Segmentation
                    ?? throw new InvalidDataException($"sample {batch.Indices[0]} of the test set has no per-pixel class map (ImageSample.Segmentation).");
                var logits = Logits(model, batch.Images[0], pipeline, inference, device);
                metric.Add(logits.argmax(0).unsqueeze(0), truth.to(device));
            }
            return metric.Result();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>
    /// The K×H×W float32 logits of one test image at its original size, as <see cref="Evaluate"/> scores them: resized
    /// into the test box, normalised, through <see cref="SegmentationInference"/>, resized bilinearly back. The model
    /// runs in its current mode (callers put it in evaluation mode), without gradients.
    /// </summary>
    /// <param name="model">The segmenter, on <paramref name="device"/>.</param>
    /// <param name="image">3×H×W float32 in [0,1], on any device.</param>
    /// <param name="pipeline">The recipe's pipeline (its test box).</param>
    /// <param name="inference">Whole image or sliding windows.</param>
    /// <param name="device">Where the model is.</param>
    public static Tensor Logits(UperNet model, Tensor image, SegmentationAugmentation pipeline, SegmentationInferenceOptions inference, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (image.dim() != 3 || image.shape[0] != 3)
            throw new ArgumentException($"image must be 3×H×W in [0,1]; got shape [{string.Join("×", image.shape)}].", nameof(image));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int h = (int)image.shape[1], w = (int)image.shape[2];
        var (th, tw) = pipeline.TestSize(h, w);
        var resized = Data.Segmentation.SegmentationResize.ResizeImage(image.cpu(), th, tw).unsqueeze(0);
        var input = ImageNetNormalization.Normalize(resized).to(device);
        var logits = SegmentationInference.Logits(model, input, inference);
        return interpolate(logits, new long[] { h, w }, mode: InterpolationMode.Bilinear, align_corners: false)[0].contiguous().MoveToOuterDisposeScope();
    }
}
