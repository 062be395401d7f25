using Folk.Lab.Distributed.Nccl;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>
/// The process group of a job on GPUs, one process per GPU: CUDA tensors (gradients, weights, FOLK's centre) go
/// through NCCL; the few CPU tensors the trainer reduces (loss terms, a stop flag, a step number) go through Open MPI
/// when MPI started the job, and otherwise (<c>torchrun</c>) are copied to the GPU, reduced by NCCL and copied back.
/// </summary>
public sealed class GpuProcessGroup : IProcessGroup
{
    readonly NcclProcessGroup _nccl;
    readonly IProcessGroup? _host;
    readonly Device _device;

    /// <summary>Pairs an NCCL group with the MPI group that started it (or none).</summary>
    public GpuProcessGroup(NcclProcessGroup nccl, IProcessGroup? host)
    {
        if (host is not null && (host.Rank != nccl.Rank || host.WorldSize != nccl.WorldSize))
            throw new ArgumentException($"The host group is rank {host.Rank} of {host.WorldSize}, NCCL's rank {nccl.Rank} of {nccl.WorldSize}.", nameof(host));
        _nccl = nccl;
        _host = host;
        _device = new Device(TorchSharp.DeviceType.CUDA, nccl.CudaDevice);
    }

    /// <inheritdoc/>
    public int Rank => _nccl.Rank;

    /// <inheritdoc/>
    public int WorldSize => _nccl.WorldSize;

    /// <inheritdoc/>
    public string Backend => _host is null ? _nccl.Backend : $"{_nccl.Backend} and {_host.Backend}";

    /// <inheritdoc/>
    public void AllReduceSum(Tensor tensor)
    {
        if (tensor.device_type == TorchSharp.DeviceType.CUDA) _nccl.AllReduceSum(tensor);
        else if (_host is not null) _host.AllReduceSum(tensor);
        else ThroughTheGpu(tensor, _nccl.AllReduceSum);
    }

    /// <inheritdoc/>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (tensor.device_type == TorchSharp.DeviceType.CUDA) _nccl.Broadcast(tensor, root);
        else if (_host is not null) _host.Broadcast(tensor, root);
        else ThroughTheGpu(tensor, t => _nccl.Broadcast(t, root));
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        if (_host is not null) _host.Barrier();
        else _nccl.Barrier();
    }

    /// <summary>A CPU tensor reduced on this rank's GPU: an explicit copy there and back (small tensors only).</summary>
    void ThroughTheGpu(Tensor tensor, Action<Tensor> collective)
    {
        using var onDevice = tensor.to(_device).contiguous();
        collective(onDevice);
        using var back = onDevice.cpu();
        tensor.copy_(back);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _nccl.Dispose();
        _host?.Dispose();
    }
}
