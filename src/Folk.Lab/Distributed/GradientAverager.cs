using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>
/// Averages the gradients of a model's parameters over the processes of a data-parallel job, in buckets: the
/// gradients of consecutive parameters (same dtype and device) are copied into one flat buffer of at most
/// <see cref="BucketBytes"/>, the buffer is all-reduced, divided by the world size and copied back. One collective per
/// bucket instead of one per parameter (a ViT-B has 150 parameter tensors), as PyTorch's DDP (25 MiB buckets).
/// </summary>
/// <remarks>
/// <para>After <see cref="Average"/>, every process holds the gradient of the mean loss over the global batch: the mean
/// over processes of per-process means of equal-sized batches. Clipping, the optimiser and accumulation then see the
/// global gradient, as in one process with the whole batch.</para>
/// <para>Not overlapped with the backward pass. DDP starts a bucket's all-reduce from autograd hooks as soon as its
/// gradients are ready; TorchSharp 0.107 exposes no hook on a tensor's gradient (only module forward hooks), so the
/// reduction runs after backward. <c>folk-lab bench distributed</c> measures its share of a step.</para>
/// <para>A parameter without a gradient on this process (unused in its forward pass) is reduced as zeros, so that
/// every process reduces buffers of the same layout, and receives the averaged gradient.</para>
/// </remarks>
public sealed class GradientAverager
{
    readonly IProcessGroup _group;
    readonly List<Tensor[]> _buckets;

    /// <summary>The largest bucket in bytes (DDP's default <c>bucket_cap_mb=25</c>).</summary>
    public long BucketBytes { get; }

    /// <summary>Buckets the parameters in their order.</summary>
    public GradientAverager(IEnumerable<Tensor> parameters, IProcessGroup group, long bucketBytes = 25L << 20)
    {
        _group = group;
        BucketBytes = bucketBytes;
        _buckets = [];
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var parameter in parameters)
        {
            long size = parameter.numel() * parameter.element_size();
            bool fits = current.Count == 0
                        || (bytes + size <= bucketBytes && current[0].dtype == parameter.dtype && current[0].device == parameter.device);
            if (!fits)
            {
                _buckets.Add([.. current]);
                current.Clear();
                bytes = 0;
            }
            current.Add(parameter);
            bytes += size;
        }
        if (current.Count > 0) _buckets.Add([.. current]);
    }

    /// <summary>Time spent in <see cref="Average"/> so far (copies and collectives): what overlapping it with the
    /// backward pass could at most hide.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    readonly System.Diagnostics.Stopwatch _clock = new();

    /// <summary>Buckets in use: one collective each per <see cref="Average"/>.</summary>
    public int Buckets => _buckets.Count;

    /// <summary>Replaces every parameter's gradient by its mean over the job's processes (nothing with one process).</summary>
    public void Average()
    {
        if (_group.WorldSize == 1) return;
        _clock.Start();
        try { AverageBuckets(); }
        finally { _clock.Stop(); }
    }

    void AverageBuckets()
    {
        foreach (var bucket in _buckets)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            // a fresh buffer (not cat, which may hand back its only input), so it never shares memory with a gradient
            var flat = empty(bucket.Sum(p => p.numel()), dtype: bucket[0].dtype, device: bucket[0].device);
            long offset = 0;
            foreach (var parameter in bucket)
            {
                var slot = flat.narrow(0, offset, parameter.numel());
                if (parameter.grad is { } g) slot.copy_(g.reshape(-1));
                else slot.zero_();
                offset += parameter.numel();
            }
            _group.AllReduceSum(flat);
            flat.div_(_group.WorldSize);
            offset = 0;
            foreach (var parameter in bucket)
            {
                long n = parameter.numel();
                var averaged = flat.narrow(0, offset, n).view(parameter.shape);
                if (parameter.grad is { } grad) grad.copy_(averaged);
                else parameter.grad = averaged.clone().DetachFromDisposeScope();
                offset += n;
            }
        }
    }
}
