using Folk.Lab.Corruptions.Common;
using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Methods;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Robustness;

/// <summary>One point of a degradation curve: a method's mean pre-training loss on held-out images under one corruption
/// at one severity (<paramref name="Corruption"/> "clean" and severity 0 for the undegraded images).</summary>
/// <param name="Corruption">The corruption's benchmark name, or "clean".</param>
/// <param name="Severity">1–5, or 0 for the clean images.</param>
/// <param name="Loss">The mean of the loss the method minimises.</param>
/// <param name="Images">Images averaged over.</param>
/// <param name="Terms">The mean of every term the method logs ("loss" and, e.g., FOLK's "loss_rec" and
/// "loss_distill"), so that one measurement gives each part's curve; null where not measured (points read from files
/// written before terms were recorded).</param>
public sealed record DegradationPoint(string Corruption, int Severity, double Loss, int Images, IReadOnlyDictionary<string, double>? Terms = null)
{
    /// <summary>This point with <see cref="Loss"/> replaced by the mean of the term <paramref name="term"/>, to draw
    /// one part of a method's loss (e.g. FOLK's reconstruction term "loss_rec").</summary>
    /// <exception cref="KeyNotFoundException">The term was not measured.</exception>
    public DegradationPoint OfTerm(string term) =>
        Terms is not null && Terms.TryGetValue(term, out var value) ? this with { Loss = value }
        : throw new KeyNotFoundException($"The point {Corruption}@{Severity} has no term '{term}' (measured: {string.Join(", ", Terms?.Keys ?? [])}).");
}

/// <summary>
/// How a pre-trained method's own loss behaves when its input images are degraded: FOLK's robustness analysis reports
/// the change of the loss under simple degradations (arXiv 2409.10362, supplementary material) rather than a benchmark.
/// Folk.Lab measures it for any method and any ImageNet-C corruption, so MFM, FOLK and the restoration baselines can be
/// drawn on one chart.
/// </summary>
/// <remarks>
/// Decision (the paper does not say how): the degraded image takes the place of the clean one as the data, and the
/// method runs unchanged on it — its own augmentation (views, crops), its own masking or corruption, its own targets —
/// so the loss answers "how well does the pre-training task still work on such images". Measured without gradients, in
/// evaluation mode, on the same held-out images for every cell, with every source of randomness seeded per cell, so
/// the curves of two methods differ only by the methods. A restoration target computed from the degraded image
/// (its clean version is not used) keeps the task well-defined for every method.
/// </remarks>
public static class DegradationLoss
{
    /// <summary>Measures the curve: the clean point, then every corruption at every severity.</summary>
    /// <param name="method">The pre-trained method, its weights loaded, on <paramref name="device"/>.</param>
    /// <param name="config">Its settings (for its augmentation).</param>
    /// <param name="imageSize">The side it was pre-trained at; images are centre-cropped to it before corruption, so it
    /// must be 224 or 32 for the corruptions' constants.</param>
    /// <param name="heldOut">Images the method did not train on.</param>
    /// <param name="corruptions">The corruptions to degrade with.</param>
    /// <param name="severities">Their severities.</param>
    /// <param name="seed">Seed of the corruptions, the views and the method's masks.</param>
    /// <param name="device">Where the method is.</param>
    /// <param name="batchSize">Images per batch.</param>
    /// <param name="workers">Decoding threads.</param>
    /// <param name="progress">Told after each point.</param>
    /// <param name="cancellation">Stops between batches; the points finished so far are returned.</param>
    /// <param name="finished">Points of an interrupted measurement with the same arguments, taken as they are (every
    /// cell is seeded by its place in the list, so a resumed curve equals an uninterrupted one).</param>
    public static IReadOnlyList<DegradationPoint> Measure(IPretrainingMethod method, MethodConfig config, int imageSize, IImageDataset heldOut,
        IReadOnlyList<CommonCorruption> corruptions, IReadOnlyList<int> severities, long seed, Device device, int batchSize = 128,
        int workers = 0, IProgress<DegradationPoint>? progress = null, CancellationToken cancellation = default,
        IReadOnlyList<DegradationPoint>? finished = null)
    {
        if (corruptions.Count > 0) CommonCorruptions.ConstantsFor(imageSize);
        var geometry = new Compose(new Resize(imageSize), new CenterCrop(imageSize));
        var cells = new List<(CommonCorruption? Corruption, int Severity)> { (null, 0) };
        foreach (var c in corruptions)
            foreach (var s in severities) cells.Add((c, s));

        var points = new List<DegradationPoint>();
        bool wasTraining = method.Trainable.training;
        method.Checkpointed.eval();
        try
        {
            using var generator = new Generator(0, device);
            for (int k = 0; k < cells.Count && !cancellation.IsCancellationRequested; k++)
            {
                var (corruption, severity) = cells[k];
                if (finished?.FirstOrDefault(p => p.Corruption == (corruption?.Name() ?? "clean") && p.Severity == severity) is { } done)
                {
                    points.Add(done);
                    continue;
                }
                var data = new CorruptedImages(heldOut, geometry, corruption, severity, SampleSeed.Of(seed, k));
                var loader = new DataLoader(data, config.Augmentation(imageSize), new DataLoaderOptions
                {
                    BatchSize = batchSize, Shuffle = false, DropLast = false, Seed = seed, Workers = workers > 0 ? workers : Environment.ProcessorCount,
                });
                double sum = 0;
                var termSums = new Dictionary<string, double>();
                int images = 0, index = 0;
                using (no_grad())
                {
                    foreach (var batch in loader.Epoch(0, cancellation: cancellation))
                    {
                        using var _ = batch;
                        using var scope = NewDisposeScope();
                        generator.manual_seed((long)SampleSeed.Of(seed, k, index++));
                        using var onDevice = batch.To(device);
                        using var terms = method.Loss(onDevice, generator);
                        sum += terms.Loss.to(ScalarType.Float64).cpu().item<double>() * batch.Count;
                        foreach (var (name, value) in terms.Values()) termSums[name] = termSums.GetValueOrDefault(name) + value * batch.Count;
                        images += batch.Count;
                    }
                }
                if (cancellation.IsCancellationRequested) break;
                var point = new DegradationPoint(corruption?.Name() ?? "clean", severity, sum / images, images,
                    termSums.ToDictionary(t => t.Key, t => t.Value / images));
                points.Add(point);
                progress?.Report(point);
            }
        }
        finally
        {
            if (wasTraining) method.Checkpointed.train();
        }
        return points;
    }
}
