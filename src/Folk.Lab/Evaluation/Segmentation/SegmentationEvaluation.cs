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
                int h = (int)batch.Images.shape[2], w = (int)batch.Images.shape[3];
                var (th, tw) = pipeline.TestSize(h, w);
                var image = Data.Segmentation.SegmentationResize.ResizeImage(batch.Images[0], th, tw).unsqueeze(0);
                var input = ImageNetNormalization.Normalize(image).to(device);
                var logits = SegmentationInference.Logits(model, input, inference);
                var original = interpolate(logits, new long[] { h, w }, mode: InterpolationMode.Bilinear, align_corners: false);
                metric.Add(original.argmax(1), truth.to(device));
            }
            return metric.Result();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
