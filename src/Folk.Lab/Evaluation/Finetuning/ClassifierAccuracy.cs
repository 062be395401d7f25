using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Finetuning;

/// <summary>Top-1 and top-5 accuracy of a classifier on a labelled set (fractions in [0, 1]).</summary>
public sealed record Accuracy(double Top1, double Top5, int Images);

/// <summary>Scores a classifier on a labelled set, in evaluation mode and without gradients, as MFM's
/// <c>validate</c> does (timm <c>accuracy(output, target, topk=(1, 5))</c>).</summary>
public static class ClassifierAccuracy
{
    /// <summary>Accuracy of <paramref name="classifier"/> on <paramref name="data"/> through <paramref name="transform"/>
    /// (which must normalise, as the fine-tuning evaluation transform does).</summary>
    public static Accuracy Evaluate(Encoder classifier, IImageDataset data, IImageTransform transform, Device device, int batchSize = 256, int workers = 0)
    {
        bool wasTraining = classifier.training;
        classifier.eval();
        try
        {
            var loader = new DataLoader(data, transform, new DataLoaderOptions
            {
                BatchSize = batchSize, Shuffle = false, DropLast = false, Workers = workers > 0 ? workers : Environment.ProcessorCount,
            });
            long top1 = 0, top5 = 0, n = 0;
            using var noGrad = no_grad();
            foreach (var batch in loader.Epoch(0))
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                var logits = classifier.forward(batch.Images.to(device)).to(ScalarType.Float32).cpu();
                var labels = batch.Labels;
                int k = (int)Math.Min(5, logits.shape[1]);
                var (_, predicted) = logits.topk(k, dim: 1);
                var hits = predicted.eq(labels.unsqueeze(1));
                top1 += hits[.., 0].sum().item<long>();
                top5 += hits.any(1).sum().item<long>();
                n += labels.shape[0];
            }
            return new Accuracy((double)top1 / n, (double)top5 / n, (int)n);
        }
        finally
        {
            if (wasTraining) classifier.train();
        }
    }
}
