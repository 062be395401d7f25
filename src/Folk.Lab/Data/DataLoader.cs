using System.Collections.Concurrent;
using Folk.Lab.Data.Segmentation;
using Folk.Lab.Data.Transforms;
using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>An image that was left out under <see cref="CorruptImagePolicy.Skip"/>, and why.</summary>
public sealed record SkippedImage(int Index, string Source, string Reason);

/// <summary>
/// Decodes and augments on every core, collates batches and keeps a bounded number of them ready.
/// </summary>
/// <remarks>
/// Everything random is derived from (seed, epoch, …): the order of an epoch from (seed, epoch), each sample's
/// augmentation from (seed, epoch, index). So an epoch can start at any batch (resuming a run) and yields exactly the
/// batches an uninterrupted run sees, whatever the number of threads.
/// </remarks>
public sealed class DataLoader
{
    readonly IImageDataset _dataset;
    readonly IViewTransform? _transform;
    readonly IEightBitTransform? _eightBit;
    readonly ConcurrentQueue<SkippedImage> _skipped = new();

    /// <summary>The options in use.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Whether image files are augmented on their 8-bit pixels (<see cref="Resampling.EightBit"/> with a dataset
    /// of files and a transform that has an 8-bit form); false: on the decoded float image.</summary>
    public bool EightBitPath => _eightBit is not null;

    /// <summary>Creates a loader over <paramref name="dataset"/>; <paramref name="transform"/> runs per image and makes
    /// its views (one for an <see cref="IImageTransform"/>; none: the decoded image itself). An
    /// <see cref="ISegmentationTransform"/> transforms each image together with its class map
    /// (<see cref="ImageSample.Segmentation"/>, which the data set must give) and the batch carries the maps in
    /// <see cref="Batch.Segmentation"/>.</summary>
    public DataLoader(IImageDataset dataset, IViewTransform? transform, DataLoaderOptions? options = null)
    {
        _dataset = dataset;
        _transform = transform;
        Options = options ?? new DataLoaderOptions();
        _eightBit = Options.Resampling == Resampling.EightBit && dataset is IEncodedImageDataset && transform is IEightBitTransform { SupportsEightBit: true } t ? t : null;
        Guard.Positive(Options.BatchSize, nameof(Options.BatchSize));
        Guard.Positive(Options.Workers, nameof(Options.Workers));
        Guard.Positive(Options.Prefetch, nameof(Options.Prefetch));
        Guard.Positive(Options.RepeatedAugmentations, nameof(Options.RepeatedAugmentations));
        Options.Share.Validate();
        if (Options.Share.Processes > 1 && !Options.DropLast)
            throw new ArgumentException($"A data-parallel loader ({Options.Share.Processes} processes) drops the last incomplete batch, as DistributedSampler with drop_last: set DataLoaderOptions.DropLast = true.", nameof(options));
        if (BatchesPerEpoch == 0)
            throw new ArgumentException($"The dataset holds {dataset.Count} images, fewer than one batch of {GlobalBatch} (drop_last).", nameof(dataset));
    }

    /// <summary>Images per step over all processes of the job: <see cref="DataLoaderOptions.BatchSize"/> × processes.</summary>
    public int GlobalBatch => Options.BatchSize * Options.Share.Processes;

    /// <summary>Batches (steps) in one epoch.</summary>
    public int BatchesPerEpoch => Options.DropLast ? _dataset.Count / GlobalBatch : (_dataset.Count + GlobalBatch - 1) / GlobalBatch;

    /// <summary>Images left out so far under <see cref="CorruptImagePolicy.Skip"/>.</summary>
    public IReadOnlyList<SkippedImage> Skipped => _skipped.ToArray();

    /// <summary>
    /// The dataset indices of epoch <paramref name="epoch"/>, in order. With <see cref="DataLoaderOptions.RepeatedAugmentations"/>
    /// r &gt; 1, the first ⌈N / r⌉ indices of the shuffled order each appear r times in a row and the epoch is cut at N
    /// samples, as timm's <c>RepeatAugSampler</c> gives one process (<c>timm/data/distributed_sampler.py</c>): the same
    /// number of samples per epoch, a third of the images, three augmentations of each.
    /// </summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, _dataset.Count).ToArray();
        if (Options.Shuffle) SampleSeed.Random(Options.Seed, epoch, -1).Shuffle(order);
        int r = Options.RepeatedAugmentations;
        return r == 1 ? order : order.SelectMany(i => Enumerable.Repeat(i, r)).Take(order.Length).ToArray();
    }

    /// <summary>The seed of the augmentation of the sample at <paramref name="position"/> of the epoch's order: drawn
    /// from its dataset index (so a resumed epoch augments as the uninterrupted one), or, when augmentations repeat, from
    /// its position, so that the copies of an image differ.</summary>
    Random AugmentationRandom(int[] order, int epoch, int position) =>
        SampleSeed.Random(Options.Seed, epoch, Options.RepeatedAugmentations == 1 ? order[position] : -2 - position);

    /// <summary>
    /// The batches of an epoch from batch <paramref name="startBatch"/> on. Decoding runs ahead on background threads;
    /// disposing the enumerator stops it. A decoding failure under <see cref="CorruptImagePolicy.Fail"/> surfaces here
    /// as <see cref="ImageDecodeException"/>, when its batch is reached.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch, int startBatch = 0, CancellationToken cancellation = default)
    {
        if (startBatch < 0 || startBatch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(startBatch), startBatch, $"startBatch must be in [0, {BatchesPerEpoch}].");
        var order = Order(epoch);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var queue = new BlockingCollection<Func<Batch?>>(Options.Prefetch);
        var producer = Task.Run(() => Produce(order, epoch, startBatch, queue, stop.Token));
        try
        {
            foreach (var next in queue.GetConsumingEnumerable(cancellation))
            {
                var batch = next();                                   // rethrows a producer failure here
                if (batch is not null) yield return batch;
            }
        }
        finally
        {
            stop.Cancel();
            while (queue.TryTake(out var pending)) { try { pending()?.Dispose(); } catch (Exception) { /* already reported */ } }
            try { producer.Wait(); } catch (AggregateException) { }
        }
    }

    void Produce(int[] order, int epoch, int startBatch, BlockingCollection<Func<Batch?>> queue, CancellationToken stop)
    {
        try
        {
            for (int b = startBatch; b < BatchesPerEpoch && !stop.IsCancellationRequested; b++)
            {
                Batch? batch;
                try { batch = Collate(order, epoch, b, stop); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    queue.Add(() => throw e, stop);
                    return;
                }
                var ready = batch;
                queue.Add(() => ready, stop);
            }
        }
        catch (OperationCanceledException) { }
        finally { queue.CompleteAdding(); }
    }

    /// <summary>
    /// The 8-bit path (<see cref="Resampling.EightBit"/>): the file decoded into 8-bit RGBA pixels, transformed, and only
    /// the result converted to 3×s×s float32 in [0,1]. The sample it returns carries the label and source (its image
    /// is empty: the full image is never made in float).
    /// </summary>
    static (Tensor[] Views, ImageSample Sample) EightBit(IEncodedImageDataset dataset, IEightBitTransform transform, int index, Random random)
    {
        var file = dataset.GetEncoded(index);
        using var scope = NewDisposeScope();
        var pixels = ImageDecoder.DecodePixels(file.Bytes, file.Source).permute(2, 0, 1);
        var view = transform.ApplyEightBit(pixels, random).narrow(0, 0, 3).to(ScalarType.Float32).div_(PinnedScalars.ByteMax).contiguous();
        return (new[] { view.MoveToOuterDisposeScope() }, new ImageSample(empty(0), file.Label, file.Source));
    }

    Batch? Collate(int[] order, int epoch, int position, CancellationToken stop)
    {
        var share = Options.Share;
        int start = position * GlobalBatch + share.Rank * Options.BatchSize, count = Math.Min(Options.BatchSize, order.Length - start);
        var samples = new ImageSample?[count];
        var views = new Tensor[]?[count];
        var masks = new Tensor?[count];
        try
        {
            try { Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Options.Workers, CancellationToken = stop }, Decode); }
            catch (AggregateException e)
            {
                // the first failure, as thrown (an ImageDecodeException names its file)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            }
            void Decode(int i)
            {
                int index = order[start + i];
                try
                {
                    if (_eightBit is not null)
                    {
                        (views[i], samples[i]) = EightBit((IEncodedImageDataset)_dataset, _eightBit, index, AugmentationRandom(order, epoch, start + i));
                        return;
                    }
                    samples[i] = _dataset.Get(index);
                    if (_transform is ISegmentationTransform joint)
                    {
                        var sample = samples[i]!;
                        if (sample.Segmentation is null)
                            throw new InvalidDataException($"{sample.Source}: the data set gives no per-pixel class map (ImageSample.Segmentation), which {joint.GetType().Name} transforms with the image.");
                        var pair = joint.Apply(new SegmentedImage(sample.Image, sample.Segmentation), AugmentationRandom(order, epoch, start + i));
                        (views[i], masks[i]) = (new[] { pair.Image }, pair.Mask);
                        return;
                    }
                    views[i] = _transform is null ? new[] { samples[i]!.Image.alias() } : _transform.Views(samples[i]!.Image, AugmentationRandom(order, epoch, start + i));
                }
                catch (ImageDecodeException e) when (Options.CorruptImages == CorruptImagePolicy.Skip)
                {
                    _skipped.Enqueue(new SkippedImage(index, e.SourceName, e.Message));
                }
            }
            var kept = Enumerable.Range(0, count).Where(i => views[i] is not null).ToArray();
            if (kept.Length == 0) return null;
            var first = views[kept[0]]!;
            foreach (var i in kept)
            {
                if (views[i]!.Length != first.Length)
                    throw new InvalidOperationException($"{samples[i]!.Source}: the transform made {views[i]!.Length} views, but {first.Length} for the batch's first image.");
                for (int v = 0; v < first.Length; v++)
                    if (!views[i]![v].shape.SequenceEqual(first[v].shape))
                        throw new InvalidOperationException(
                            $"{samples[i]!.Source}: view {v} transformed to {Shape.Format(views[i]![v])}, but the batch's first image gave {Shape.Format(first[v])}; add a crop or resize transform so every image has one size.");
            }
            var stacked = Enumerable.Range(0, first.Length).Select(v => stack(kept.Select(i => views[i]![v]).ToArray())).ToArray();
            var labels = tensor(kept.Select(i => (long)samples[i]!.Label).ToArray());
            var segmentation = _transform is ISegmentationTransform ? stack(kept.Select(i => masks[i]!).ToArray())
                : kept.All(i => samples[i]!.Segmentation is not null) && _transform is null
                ? stack(kept.Select(i => samples[i]!.Segmentation!).ToArray()) : null;
            return new Batch(stacked, labels, kept.Select(i => order[start + i]).ToArray(), epoch, position, segmentation)
            {
                Shard = share.Processes == 1 ? null : new BatchShard(share.Rank * Options.BatchSize, GlobalBatch),
            };
        }
        finally
        {
            foreach (var sampleViews in views) foreach (var view in sampleViews ?? Array.Empty<Tensor>()) view.Dispose();
            foreach (var mask in masks) mask?.Dispose();
            foreach (var sample in samples) sample?.Dispose();
        }
    }
}
