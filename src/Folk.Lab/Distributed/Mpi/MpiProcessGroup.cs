using static TorchSharp.torch;

namespace Folk.Lab.Distributed.Mpi;

/// <summary>
/// The job's processes as Open MPI's <c>MPI_COMM_WORLD</c>, for CPU tensors: all-reduce and broadcast run in place on
/// the tensor's own memory (<c>MPI_IN_PLACE</c>), with no copy. Create one per process (<see cref="Initialize"/>);
/// disposing it finalises MPI.
/// </summary>
/// <remarks>Open MPI started by <c>mpirun</c> (or <c>srun</c> with PMIx) knows its rank from the launcher; started
/// alone, it is a world of one (MPI's singleton start).</remarks>
public sealed class MpiProcessGroup : IProcessGroup
{
    readonly OpenMpiLibrary _mpi;
    bool _disposed;

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int WorldSize { get; }

    /// <inheritdoc/>
    public string Backend { get; }

    MpiProcessGroup(OpenMpiLibrary mpi, int rank, int worldSize, string backend)
    {
        _mpi = mpi;
        Rank = rank;
        WorldSize = worldSize;
        Backend = backend;
    }

    /// <summary>Initialises MPI (once per process: MPI cannot start again after it was finalised) and returns the world.</summary>
    /// <exception cref="DllNotFoundException">Open MPI is not installed; the message names the package.</exception>
    /// <exception cref="InvalidOperationException">MPI was already finalised in this process.</exception>
    public static MpiProcessGroup Initialize()
    {
        var mpi = OpenMpiLibrary.Load();
        mpi.Check(mpi.MPI_Finalized(out int finalized), "MPI_Finalized");
        if (finalized != 0) throw new InvalidOperationException("MPI was finalised in this process and cannot start again: create one MpiProcessGroup per process and dispose it at the end.");
        mpi.Check(mpi.MPI_Initialized(out int initialized), "MPI_Initialized");
        if (initialized == 0)
            mpi.Check(mpi.MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, OpenMpiLibrary.ThreadSerialized, out _), "MPI_Init_thread");
        mpi.Check(mpi.MPI_Comm_rank(mpi.CommWorld, out int rank), "MPI_Comm_rank");
        mpi.Check(mpi.MPI_Comm_size(mpi.CommWorld, out int size), "MPI_Comm_size");
        return new MpiProcessGroup(mpi, rank, size, mpi.Version());
    }

    /// <inheritdoc/>
    public void AllReduceSum(Tensor tensor)
    {
        var type = Check(tensor, nameof(AllReduceSum));
        foreach (var (pointer, count) in Chunks(tensor))
            _mpi.Check(_mpi.MPI_Allreduce(OpenMpiLibrary.InPlace, pointer, count, type, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (root < 0 || root >= WorldSize) throw new ArgumentOutOfRangeException(nameof(root), root, $"The root must be a rank in [0, {WorldSize}).");
        var type = Check(tensor, nameof(Broadcast));
        foreach (var (pointer, count) in Chunks(tensor))
            _mpi.Check(_mpi.MPI_Bcast(pointer, count, type, root, _mpi.CommWorld), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public void Barrier() => _mpi.Check(_mpi.MPI_Barrier(_mpi.CommWorld), "MPI_Barrier");

    IntPtr Check(Tensor tensor, string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tensor.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException($"{operation}: Open MPI reduces CPU tensors; this one ({Shape.Format(tensor)}) is on {tensor.device}. Use the NCCL group on GPUs.", nameof(tensor));
        if (!tensor.is_contiguous())
            throw new ArgumentException($"{operation}: the tensor ({Shape.Format(tensor)}) must be contiguous: MPI reads its memory as one run of elements. Call contiguous() first.", nameof(tensor));
        return tensor.dtype switch
        {
            ScalarType.Float32 => _mpi.Float,
            ScalarType.Float64 => _mpi.Double,
            ScalarType.Int64 => _mpi.Int64,
            ScalarType.Int32 => _mpi.Int32,
            ScalarType.Byte => _mpi.Byte,
            var other => throw new ArgumentException($"{operation}: MPI has no {other} type here; reduce float32, float64, int64, int32 or uint8 tensors (convert bfloat16 gradients to float32 first).", nameof(tensor)),
        };
    }

    /// <summary>The tensor's memory in runs of at most <see cref="int.MaxValue"/> elements (MPI counts are C ints).</summary>
    static IEnumerable<(IntPtr Pointer, int Count)> Chunks(Tensor tensor)
    {
        IntPtr start = TensorMemory.Pointer(tensor);
        long elements = tensor.numel(), size = tensor.element_size();
        for (long done = 0; done < elements; done += int.MaxValue)
            yield return (start + (nint)(done * size), (int)Math.Min(int.MaxValue, elements - done));
    }

    /// <summary>Finalises MPI (after a barrier, so that no rank leaves while another still sends).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _mpi.Check(_mpi.MPI_Finalized(out int finalized), "MPI_Finalized");
        if (finalized == 0) _mpi.Check(_mpi.MPI_Finalize(), "MPI_Finalize");
    }
}
