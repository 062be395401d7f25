namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// An NCCL call returned something other than <see cref="NcclResult.Success"/>. The message names the call, the code
/// and NCCL's own text for it (<c>ncclGetErrorString</c>, plus <c>ncclGetLastError</c>'s detail where the library has
/// it), or, when no library text is at hand, a built-in text per code; it always ends with how to get NCCL's own log.
/// </summary>
public sealed class NcclException : Exception
{
    /// <summary>Appended to every message: NCCL explains most failures only in its own log.</summary>
    internal const string DebugHint = "Run with NCCL_DEBUG=WARN (or INFO) for NCCL's own account.";

    /// <summary>The code the call returned.</summary>
    public NcclResult Result { get; }

    /// <summary>The NCCL function that returned it, e.g. <c>ncclAllReduce</c>.</summary>
    public string Call { get; }

    /// <summary>An error from <paramref name="call"/>, described by <paramref name="libraryText"/> (the library's
    /// <c>ncclGetErrorString</c>, and detail if any) or, when that is null, by <see cref="BuiltInText"/>.</summary>
    public NcclException(NcclResult result, string call, string? libraryText = null)
        : base(Compose(result, call, libraryText))
    {
        Result = result;
        Call = call;
    }

    static string Compose(NcclResult result, string call, string? libraryText) =>
        $"{call} failed with nccl{result} ({(int)result}): {(string.IsNullOrWhiteSpace(libraryText) ? BuiltInText(result) : libraryText.Trim())}. {DebugHint}";

    /// <summary>What each code means, in Folk.Lab's words, for when the library's text is unavailable (it failed to load,
    /// or the code is outside the range it knows).</summary>
    public static string BuiltInText(NcclResult result) => result switch
    {
        NcclResult.Success => "no error",
        NcclResult.UnhandledCudaError => "a CUDA call inside NCCL failed (a device fault, out of memory, or a tensor on another device than the communicator's)",
        NcclResult.SystemError => "a system call failed (sockets, shared memory — /dev/shm is small in many containers — or a network interface)",
        NcclResult.InternalError => "an internal check failed inside NCCL (often the echo of a peer that died or a network error)",
        NcclResult.InvalidArgument => "an argument was invalid (a null pointer, an element count, the datatype, the root or the rank)",
        NcclResult.InvalidUsage => "the API was used wrongly (ranks calling different collectives, or a communicator used after an error)",
        NcclResult.RemoteError => "a remote rank exited or the network between the ranks failed",
        NcclResult.InProgress => "the operation is still in progress",
        _ => "an error code this version of Folk.Lab does not know",
    };
}
