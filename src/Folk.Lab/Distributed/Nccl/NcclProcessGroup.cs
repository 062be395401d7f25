using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// A process group whose collectives run in NCCL on CUDA tensors: one process per GPU, each holding one rank of one
/// NCCL communicator. How the processes were started (mpirun, torchrun, a scheduler) is not its business; it needs
/// only a way to pass rank 0's unique id to the others.
/// </summary>
/// <remarks>
/// <para>Collectives are in place and are <em>enqueued</em> on CUDA stream 0, the legacy default stream, which is the
/// stream every TorchSharp operation runs on (libtorch's default stream; TorchSharp has no stream API). So a
/// collective starts after the kernels that produced its tensor and finishes before any later operation reads it,
/// with no host synchronisation; the call returns before the GPU has done the work (<see cref="Barrier"/> waits).</para>
/// <para>Every argument is checked before any native call, so a wrong rank, device, layout or dtype is reported in
/// Folk.Lab's words rather than as an NCCL error or a hang. Not thread-safe: one thread issues the collectives, in the
/// same order on every rank (NCCL's requirement).</para>
/// </remarks>
public sealed unsafe class NcclProcessGroup : IProcessGroup
{
    /// <summary><c>ncclSum</c> in <c>ncclRedOp_t</c>.</summary>
    const int Sum = 0;

    readonly NcclLibrary _nccl;
    IntPtr _comm;

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int WorldSize { get; }

    /// <summary>The CUDA device (index) this rank's communicator and tensors live on.</summary>
    public int CudaDevice { get; }

    /// <summary>"NCCL x.y.z", from <c>ncclGetVersion</c>.</summary>
    public string Backend => $"NCCL {_nccl.Version.ToString(3)}";

    /// <summary>
    /// Joins rank <paramref name="rank"/> of <paramref name="worldSize"/> to a new communicator on CUDA device
    /// <paramref name="cudaDevice"/>; returns when all ranks have joined (<c>ncclCommInitRank</c> blocks until then).
    /// </summary>
    /// <param name="rank">This process's rank, 0 ≤ rank &lt; worldSize.</param>
    /// <param name="worldSize">The number of ranks, ≥ 1.</param>
    /// <param name="shareUniqueId">Broadcasts 128 bytes from rank 0: called once on every rank, with the id from
    /// <c>ncclGetUniqueId</c> on rank 0 and 128 zero bytes elsewhere (so an MPI broadcast of a fixed-size buffer fits
    /// as it is); it must return rank 0's bytes on every rank.</param>
    /// <param name="cudaDevice">The CUDA device index, usually the local rank; made current on the calling thread, as
    /// <c>torch.cuda.set_device</c> would (the communicator uses the current device).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rank, world size or device out of range.</exception>
    /// <exception cref="NcclUnavailableException">No NCCL library loaded (<see cref="NcclLibrary"/>).</exception>
    /// <exception cref="InvalidOperationException">No CUDA, or the id exchange returned something else than rank 0's id.</exception>
    /// <exception cref="NcclException">NCCL refused to make the communicator.</exception>
    public NcclProcessGroup(int rank, int worldSize, Func<byte[], byte[]> shareUniqueId, int cudaDevice)
    {
        CheckArguments(rank, worldSize, shareUniqueId, cudaDevice);
        _nccl = NcclLibrary.Load();
        RequireCuda(cudaDevice);
        CudaDriver.MakeCurrent(cudaDevice);
        var nccl = _nccl;
        var id = ExchangeUniqueId(rank, shareUniqueId, () =>
        {
            NcclUniqueId created;
            nccl.Check(nccl.GetUniqueId(&created), "ncclGetUniqueId");
            return created;
        });
        IntPtr comm;
        _nccl.Check(_nccl.CommInitRank(&comm, worldSize, id, rank), "ncclCommInitRank");
        _comm = comm;
        Rank = rank;
        WorldSize = worldSize;
        CudaDevice = cudaDevice;
    }

    /// <summary>Sums <paramref name="tensor"/> (CUDA, on <see cref="CudaDevice"/>, contiguous) over all ranks, in place,
    /// in its own dtype (<c>ncclAllReduce</c> with <c>ncclSum</c>, send and receive buffer the same).</summary>
    /// <exception cref="ArgumentException">The tensor is on another device, not contiguous, or of a type NCCL lacks.</exception>
    /// <exception cref="NcclException">NCCL failed now or reported an earlier asynchronous failure.</exception>
    public void AllReduceSum(Tensor tensor)
    {
        var type = CheckTensor(tensor, CudaDevice, nameof(tensor));
        ObjectDisposedException.ThrowIf(_comm == IntPtr.Zero, this);
        if (tensor.numel() == 0) return;                                  // every rank sees the same shape: all skip
        var data = TensorMemory.Pointer(tensor);
        Collective(_nccl.AllReduce(data, data, (nuint)tensor.numel(), type, Sum, _comm, IntPtr.Zero), "ncclAllReduce");
    }

    /// <summary>Overwrites <paramref name="tensor"/> (CUDA, on <see cref="CudaDevice"/>, contiguous) on every rank with
    /// rank <paramref name="root"/>'s, in place (<c>ncclBroadcast</c>, send and receive buffer the same).</summary>
    /// <exception cref="ArgumentException">A root out of range, or a tensor on another device, not contiguous, or of a type NCCL lacks.</exception>
    /// <exception cref="NcclException">NCCL failed now or reported an earlier asynchronous failure.</exception>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        var type = CheckTensor(tensor, CudaDevice, nameof(tensor));
        CheckRoot(root, WorldSize);
        ObjectDisposedException.ThrowIf(_comm == IntPtr.Zero, this);
        if (tensor.numel() == 0) return;
        var data = TensorMemory.Pointer(tensor);
        Collective(_nccl.Broadcast(data, data, (nuint)tensor.numel(), type, root, _comm, IntPtr.Zero), "ncclBroadcast");
    }

    /// <summary>An all-reduce of one element on every rank, then a wait for this device to finish all it was given
    /// (<c>torch.cuda.synchronize</c>): when it returns, every rank has reached it and every earlier collective is done.</summary>
    public void Barrier()
    {
        ObjectDisposedException.ThrowIf(_comm == IntPtr.Zero, this);
        var device = torch.device(DeviceType.CUDA, CudaDevice);
        using (var token = torch.ones(1, dtype: ScalarType.Float32, device: device))
            AllReduceSum(token);
        torch.cuda.synchronize(device);
        ThrowOnAsyncError();
    }

    /// <summary>Frees the communicator: <c>ncclCommDestroy</c>, which waits for pending work, or <c>ncclCommAbort</c>
    /// when NCCL has reported an asynchronous error (destroying would then wait for peers that may be gone).
    /// Idempotent; never throws.</summary>
    public void Dispose()
    {
        var comm = _comm;
        if (comm == IntPtr.Zero) return;
        _comm = IntPtr.Zero;
        NcclResult pending;
        bool failed = _nccl.CommGetAsyncError(comm, &pending) != NcclResult.Success || pending is not (NcclResult.Success or NcclResult.InProgress);
        _ = failed ? _nccl.CommAbort(comm) : _nccl.CommDestroy(comm);
    }

    /// <summary>The checks on the constructor's arguments, which run before anything is loaded.</summary>
    internal static void CheckArguments(int rank, int worldSize, Func<byte[], byte[]> shareUniqueId, int cudaDevice)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, $"The world size is {worldSize}; it must be at least 1.");
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank {rank} is outside 0..{worldSize - 1} for a world of {worldSize}.");
        ArgumentNullException.ThrowIfNull(shareUniqueId);
        if (cudaDevice < 0) throw new ArgumentOutOfRangeException(nameof(cudaDevice), cudaDevice, $"CUDA device {cudaDevice}: device indices start at 0.");
    }

    /// <summary>The NCCL type of <paramref name="tensor"/> once it is known to suit a collective on CUDA device
    /// <paramref name="cudaDevice"/>: an element type NCCL has, contiguous, on that device.</summary>
    internal static NcclDataType CheckTensor(Tensor tensor, int cudaDevice, string parameter)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameter);
        string what = $"the tensor of shape [{string.Join(", ", tensor.shape)}] ({tensor.dtype}) on {tensor.device}";
        NcclDataType type;
        try { type = NcclDataTypes.From(tensor.dtype); }
        catch (ArgumentException e) { throw new ArgumentException($"{parameter}: {what}: {e.Message}", parameter, e); }
        if (!tensor.is_contiguous())
            throw new ArgumentException($"{parameter}: {what} is not contiguous; NCCL reduces one flat buffer. Pass tensor.contiguous() and copy the result back.", parameter);
        if (tensor.device_type != DeviceType.CUDA || tensor.device_index != cudaDevice)
            throw new ArgumentException($"{parameter}: {what}, but this NCCL group serves cuda:{cudaDevice}. Move it there first (tensor.to(cuda:{cudaDevice})); a group never moves tensors.", parameter);
        return type;
    }

    /// <summary>Checks a broadcast root against the world size.</summary>
    internal static void CheckRoot(int root, int worldSize)
    {
        if (root < 0 || root >= worldSize) throw new ArgumentOutOfRangeException(nameof(root), root, $"Root {root} is outside 0..{worldSize - 1} for a world of {worldSize}.");
    }

    /// <summary>
    /// Rank 0 makes the id with <paramref name="create"/>; every rank hands its 128 bytes (zeros off rank 0) to
    /// <paramref name="share"/> and gets rank 0's back. A copy is handed over, since an in-place broadcast may write to
    /// it. What comes back is checked: 128 bytes; on rank 0 the bytes it sent; elsewhere not all zeros (the sign of an
    /// exchange that returned the caller's own buffer).
    /// </summary>
    internal static NcclUniqueId ExchangeUniqueId(int rank, Func<byte[], byte[]> share, Func<NcclUniqueId> create)
    {
        var own = rank == 0 ? create().ToBytes() : new byte[NcclUniqueId.Size];
        var received = share((byte[])own.Clone())
            ?? throw new InvalidOperationException($"The unique-id exchange returned null on rank {rank}; it must return rank 0's {NcclUniqueId.Size} bytes.");
        var id = NcclUniqueId.FromBytes(received);
        if (rank == 0 && !received.AsSpan().SequenceEqual(own))
            throw new InvalidOperationException("The unique-id exchange returned other bytes on rank 0 than rank 0 gave it; it must broadcast rank 0's bytes unchanged.");
        if (id.IsZero)
            throw new InvalidOperationException($"The unique-id exchange returned {NcclUniqueId.Size} zero bytes on rank {rank}: it must return rank 0's id (a broadcast from rank 0), not the caller's own buffer.");
        return id;
    }

    static void RequireCuda(int cudaDevice)
    {
        if (!torch.cuda.is_available())
            throw new InvalidOperationException(
                $"NCCL collectives need CUDA, and this process's libtorch has none. Run on the GPU machine's PyTorch libtorch " +
                $"({Runtime.ExternalLibTorch.EnvironmentVariable}, scripts/gpu/run.sh).");
        int count = torch.cuda.device_count();
        if (cudaDevice >= count)
            throw new ArgumentOutOfRangeException(nameof(cudaDevice), cudaDevice, $"CUDA device {cudaDevice}: this machine has {count} CUDA device(s), numbered from 0.");
    }

    /// <summary>Checks a collective's launch, then whether NCCL has reported an asynchronous failure.</summary>
    void Collective(NcclResult launched, string call)
    {
        if (launched != NcclResult.Success)
        {
            var error = new NcclException(launched, call, _nccl.Describe(launched, _comm));
            Dispose();
            throw error;
        }
        ThrowOnAsyncError();
    }

    /// <summary><c>ncclCommGetAsyncError</c>: a failure in work already on the GPU (a peer died, the network broke),
    /// after which the communicator is unusable: it is aborted and the failure thrown.</summary>
    void ThrowOnAsyncError()
    {
        NcclResult pending;
        _nccl.Check(_nccl.CommGetAsyncError(_comm, &pending), "ncclCommGetAsyncError", _comm);
        if (pending is NcclResult.Success or NcclResult.InProgress) return;
        var error = new NcclException(pending, "ncclCommGetAsyncError", _nccl.Describe(pending, _comm));
        Dispose();
        throw error;
    }
}
