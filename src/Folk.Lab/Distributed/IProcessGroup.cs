using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>
/// The processes of a data-parallel job, as the trainer sees them: who this process is, how many there are, and the
/// three collectives data-parallel training needs. The implementations wrap existing engines (Open MPI for CPU tensors,
/// NCCL for CUDA tensors); Folk.Lab adds no collective algorithm of its own.
/// </summary>
/// <remarks>Every rank must call every collective in the same order with tensors of the same shape and dtype, as with
/// <c>torch.distributed</c>. Tensors must be contiguous and on the device the group serves: a group never moves a tensor
/// between devices.</remarks>
public interface IProcessGroup : IDisposable
{
    /// <summary>This process's rank, 0 ≤ rank &lt; <see cref="WorldSize"/>; rank 0 writes checkpoints and logs.</summary>
    int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    int WorldSize { get; }

    /// <summary>The engine in words ("single process", "Open MPI 4.1.4", "NCCL 2.21.5"), for logs and config.json.</summary>
    string Backend { get; }

    /// <summary>Replaces <paramref name="tensor"/> (contiguous) on every rank by its sum over all ranks.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Replaces <paramref name="tensor"/> (contiguous) on every rank by rank <paramref name="root"/>'s.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}
