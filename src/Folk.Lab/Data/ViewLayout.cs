using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>
/// How several augmented views of one image travel through the loader as one sample: each view (3×s×s, float32 in
/// [0,1]) is flattened and the views are concatenated, global views first, so a batch is one B×<see cref="Length"/>
/// tensor whatever the view sizes (DINO's multi-crop mixes 224² and 96² crops). <see cref="Split"/> turns a batch
/// back into one B×3×s×s tensor per view.
/// </summary>
/// <param name="Sizes">Side of each view in pixels, global views first.</param>
/// <param name="GlobalViews">How many leading views are global (the ones a teacher sees).</param>
public sealed record ViewLayout(IReadOnlyList<int> Sizes, int GlobalViews)
{
    /// <summary>Channels per view (RGB).</summary>
    public const int Channels = 3;

    /// <summary>Two global views of <paramref name="size"/> pixels and <paramref name="localViews"/> local views of
    /// <paramref name="localSize"/> pixels (DINO: 2 × 224² + 8 × 96²).</summary>
    public static ViewLayout Of(int size, int globalViews = 2, int localViews = 0, int localSize = 96)
    {
        Guard.Positive(size, nameof(size));
        Guard.Positive(globalViews, nameof(globalViews));
        Guard.NonNegative(localViews, nameof(localViews));
        if (localViews > 0) Guard.Positive(localSize, nameof(localSize));
        return new ViewLayout(Enumerable.Repeat(size, globalViews).Concat(Enumerable.Repeat(localSize, localViews)).ToArray(), globalViews);
    }

    /// <summary>All views.</summary>
    public int Views => Sizes.Count;

    /// <summary>Values per sample: Σ 3·s².</summary>
    public long Length => Sizes.Sum(s => (long)Channels * s * s);

    /// <summary>Splits a B×<see cref="Length"/> batch into one B×3×s×s tensor per view (new tensors).</summary>
    public Tensor[] Split(Tensor packed)
    {
        if (packed.dim() != 2 || packed.shape[1] != Length)
            throw new ArgumentException($"packed must be B×{Length} ({Views} views of sides {string.Join(", ", Sizes)}); got {Shape.Format(packed)}.", nameof(packed));
        var views = new Tensor[Views];
        long offset = 0;
        for (int v = 0; v < Views; v++)
        {
            long n = (long)Channels * Sizes[v] * Sizes[v];
            using var slice = packed.narrow(1, offset, n);
            views[v] = slice.reshape(packed.shape[0], Channels, Sizes[v], Sizes[v]).contiguous();
            offset += n;
        }
        return views;
    }

    /// <summary>The inverse of <see cref="Split"/>: views (each B×3×s×s, or 3×s×s for one sample) → B×Length (or Length).</summary>
    public Tensor Pack(IReadOnlyList<Tensor> views)
    {
        if (views.Count != Views) throw new ArgumentException($"Expected {Views} views; got {views.Count}.", nameof(views));
        using var scope = NewDisposeScope();
        bool single = views[0].dim() == 3;
        for (int v = 0; v < Views; v++)
        {
            var shape = views[v].shape;
            int s = Sizes[v];
            bool ok = single ? shape.SequenceEqual(new long[] { Channels, s, s })
                : views[v].dim() == 4 && shape[1] == Channels && shape[2] == s && shape[3] == s && shape[0] == views[0].shape[0];
            if (!ok) throw new ArgumentException($"views[{v}] must be {(single ? "" : "B×")}3×{s}×{s}; got {Shape.Format(views[v])}.", nameof(views));
        }
        var flat = views.Select(v => single ? v.reshape(-1) : v.reshape(v.shape[0], -1)).ToArray();
        return cat(flat, single ? 0 : 1).MoveToOuterDisposeScope();
    }
}
