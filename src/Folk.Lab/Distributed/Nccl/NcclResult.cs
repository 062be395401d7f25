namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// NCCL's <c>ncclResult_t</c>: what every NCCL call returns (nccl.h; NCCL's API docs, "Types": ncclResult_t). A C enum,
/// so a 32-bit integer across the call boundary.
/// </summary>
public enum NcclResult
{
    /// <summary><c>ncclSuccess</c>: the call did what it was asked.</summary>
    Success = 0,

    /// <summary><c>ncclUnhandledCudaError</c>: a CUDA call inside NCCL failed (device fault, out of memory, wrong device).</summary>
    UnhandledCudaError = 1,

    /// <summary><c>ncclSystemError</c>: a system call failed (sockets, shared memory, a network interface).</summary>
    SystemError = 2,

    /// <summary><c>ncclInternalError</c>: an internal consistency check failed, often the echo of a peer that died.</summary>
    InternalError = 3,

    /// <summary><c>ncclInvalidArgument</c>: a bad argument (null pointer, count, datatype, root, rank).</summary>
    InvalidArgument = 4,

    /// <summary><c>ncclInvalidUsage</c>: the API was used wrongly (ranks calling different collectives, say).</summary>
    InvalidUsage = 5,

    /// <summary><c>ncclRemoteError</c>: a remote rank exited or the network between ranks failed.</summary>
    RemoteError = 6,

    /// <summary><c>ncclInProgress</c>: a non-blocking communicator's operation has not finished (NCCL ≥ 2.14); the
    /// communicators made here are blocking, so it is only seen from <c>ncclCommGetAsyncError</c> mid-initialisation.</summary>
    InProgress = 7,
}
