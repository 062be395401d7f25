using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>
/// A collated batch: what the loader yields (on the CPU) and what a method trains on (on its device, <see cref="To"/>).
/// It holds one tensor per view of the same images, so a two-view method (FOLK) gets its views as they are, with no
/// packing, and a single-view method reads <see cref="Images"/>.
/// </summary>
/// <param name="Views">One tensor per view, each B×3×s×s float32 (one view for a single-image transform; for
/// <see cref="Transforms.MultiViewTransform"/> the global views first, then the local ones).</param>
/// <param name="Labels">B int64 (−1 for unlabelled images).</param>
/// <param name="Indices">Dataset index of each image.</param>
/// <param name="Epoch">The epoch it belongs to.</param>
/// <param name="Position">Its position in the epoch (0-based batch number).</param>
/// <param name="Segmentation">B×H×W int64 per-pixel labels when the dataset has them.</param>
public sealed record Batch(IReadOnlyList<Tensor> Views, Tensor Labels, int[] Indices, int Epoch, int Position, Tensor? Segmentation = null) : IDisposable
{
    /// <summary>The images of a single-view batch: B×3×H×W.</summary>
    /// <exception cref="InvalidOperationException">The batch holds several views: read <see cref="Views"/>.</exception>
    public Tensor Images => Views.Count == 1 ? Views[0]
        : throw new InvalidOperationException($"This batch holds {Views.Count} views of each image; read Batch.Views (a single-view batch has Images).");

    /// <summary>In a data-parallel job, where this process's images sit in the step's global batch (null: this batch is
    /// the whole step). Methods draw their per-image randomness for the whole step and keep these rows.</summary>
    public BatchShard? Shard { get; init; }

    /// <summary>Images in the batch.</summary>
    public int Count => Indices.Length;

    /// <summary>A single-view batch of <paramref name="images"/> (B×3×H×W), unlabelled unless <paramref name="labels"/>
    /// is given: for methods called outside the loader (tests, notebooks, benchmarks).</summary>
    public static Batch Of(Tensor images, Tensor? labels = null) => Of(new[] { images }, labels);

    /// <summary>A batch of several views of the same images (each B×3×s×s).</summary>
    public static Batch Of(IReadOnlyList<Tensor> views, Tensor? labels = null)
    {
        if (views.Count == 0) throw new ArgumentException("A batch needs at least one view.", nameof(views));
        long count = views[0].shape[0];
        if (views.Any(v => v.dim() != 4 || v.shape[0] != count))
            throw new ArgumentException($"Every view must be B×C×H×W with the same B; got {string.Join(", ", views.Select(Shape.Format))}.", nameof(views));
        return new Batch(views, labels ?? full(count, -1L, dtype: ScalarType.Int64, device: views[0].device), Enumerable.Range(0, (int)count).ToArray(), 0, 0);
    }

    /// <summary>The same batch on <paramref name="device"/> (new tensors; this batch keeps its own).</summary>
    public Batch To(Device device) =>
        this with { Views = Views.Select(v => v.to(device)).ToArray(), Labels = Labels.to(device), Segmentation = Segmentation?.to(device) };

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var view in Views) view.Dispose();
        Labels.Dispose();
        Segmentation?.Dispose();
    }
}
