using Folk.Lab.Data;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Frozen features of a dataset: what probes train on.</summary>
/// <param name="Values">N×F float32 on the CPU.</param>
/// <param name="Labels">N int64.</param>
public sealed record Features(Tensor Values, Tensor Labels) : IDisposable
{
    /// <summary>
    /// Runs <paramref name="encoder"/> (in evaluation mode, without gradients) over every image of
    /// <paramref name="dataset"/> in order, ImageNet-normalised as in training, and keeps the features
    /// <paramref name="readout"/> reads (default: the pooled final features).
    /// </summary>
    public static Features Extract(Encoder encoder, IImageDataset dataset, Device device, int batchSize = 256, Data.Transforms.IImageTransform? transform = null,
        FeatureReadout? readout = null, long seed = 0)
    {
        readout ??= FeatureReadout.Default;
        var module = (nn.Module)encoder;
        bool wasTraining = module.training;
        module.eval();
        try
        {
            var loader = new DataLoader(dataset, transform, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false, DropLast = false, Seed = seed });
            var values = new List<Tensor>();
            var labels = new List<Tensor>();
            using var noGrad = no_grad();
            foreach (var batch in loader.Epoch(0))
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                var images = ImageNetNormalization.Normalize(batch.Images.to(device));
                values.Add(readout.Read(encoder, images).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
                labels.Add(batch.Labels.clone().MoveToOuterDisposeScope());
            }
            var result = new Features(cat(values, 0), cat(labels, 0));
            foreach (var t in values.Concat(labels)) t.Dispose();
            return result;
        }
        finally
        {
            if (wasTraining) module.train();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Values.Dispose();
        Labels.Dispose();
    }
}
