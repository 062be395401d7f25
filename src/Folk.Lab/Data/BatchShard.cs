using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>
/// Where a process's batch sits in the step's global batch of a data-parallel job: rows
/// [<see cref="Offset"/>, Offset + count) of <see cref="Total"/>.
/// </summary>
/// <remarks>
/// A method's per-image randomness (MFM's low- or high-pass choice, FOLK's filter and τ) is drawn for the whole global
/// batch from the step's generator, which every process seeds alike, and each process keeps its own rows
/// (<see cref="Keep"/>). Drawing a few numbers per image for every image of the step costs nothing beside the step,
/// and it makes P processes draw exactly what one process with the whole batch draws. Whole-image noise (the
/// denoising baseline) is drawn the same way, which costs P times the noise of one process's batch: exactness first.
/// </remarks>
/// <para>A loss that pools a ratio over the batch (MFM's masked mean: Σ distance over removed frequencies / their
/// count) is not the mean of the processes' ratios, since images differ in how much they remove. Such losses divide
/// by the mean count over the processes (<see cref="PooledCount"/>, one all-reduce of a scalar), so that the mean of
/// the processes' losses, and of their gradients, is the one-process loss of the whole step. PyTorch's DDP, and so the
/// official MFM run on 16 GPUs, divides each GPU's sum by that GPU's own count instead; Folk.Lab pools, so that the
/// number of processes does not change what is optimised.</para>
/// <param name="Offset">The process's first row in the global batch.</param>
/// <param name="Total">Images in the global batch.</param>
public sealed record BatchShard(int Offset, int Total)
{
    /// <summary>The processes sharing the step (set by the trainer; null: counts are not pooled).</summary>
    public Distributed.IProcessGroup? Group { get; init; }

    /// <summary>The draw's size for a batch of <paramref name="count"/> images: <see cref="Total"/> for a shard, the
    /// count itself for none.</summary>
    public static long DrawCount(BatchShard? shard, long count) => shard?.Total ?? count;

    /// <summary>This process's rows of <paramref name="drawn"/> (drawn for <see cref="DrawCount"/> images): a view, or
    /// <paramref name="drawn"/> itself without a shard.</summary>
    public static Tensor Keep(BatchShard? shard, Tensor drawn, long count) =>
        shard is null ? drawn : drawn.narrow(0, shard.Offset, count);

    /// <summary>The denominator of a ratio pooled over the whole step: <paramref name="count"/> (a scalar, this
    /// process's count) averaged over the processes, so that Σ over processes of (sum / pooled) / P = Σ sums / Σ counts.
    /// <paramref name="count"/> itself in one process. Every process must call it, in the same order.</summary>
    public static Tensor PooledCount(BatchShard? shard, Tensor count)
    {
        if (shard?.Group is not { WorldSize: > 1 } group) return count;
        var pooled = count.detach().to(ScalarType.Float32).reshape(1).contiguous().clone();
        group.AllReduceSum(pooled);
        return pooled.div_(group.WorldSize).reshape(Array.Empty<long>());
    }
}
