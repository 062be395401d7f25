using System.Runtime.InteropServices;
using Folk.Lab.Runtime;

namespace Folk.Lab.Distributed.Nccl;

/// <summary>Where one candidate NCCL comes from: a <paramref name="Path"/> to load (a file path, or a bare soname for
/// the system loader) and the <paramref name="Origin"/> that produced it, for error messages.</summary>
internal readonly record struct NcclCandidate(string Path, string Origin);

/// <summary>
/// The NCCL shared library (<c>libnccl.so.2</c>), loaded once per process, with the entry points Folk.Lab calls as
/// unmanaged function pointers (C calling convention, as declared in nccl.h). Each entry point is named after the NCCL
/// function it points to; NCCL's API docs ("Communicator Creation and Management Functions", "Collective Communication
/// Functions", "Error handling") define their arguments.
/// </summary>
/// <remarks>
/// <para>Where <see cref="Load()"/> looks, in order:</para>
/// <list type="number">
/// <item><see cref="EnvironmentVariable"/>, a file path: when set it is the only candidate, so a typo fails loudly
/// instead of silently running on another NCCL.</item>
/// <item>Beside the libtorch in use: for each folder holding a library <see cref="ExternalLibTorch"/> loaded (and the
/// folder <c>FOLK_LAB_LIBTORCH</c> names), <c>&lt;torch/lib&gt;/libnccl.so.2</c> (older wheels bundled it) and
/// <c>&lt;torch/lib&gt;/../../nvidia/nccl/lib/libnccl.so.2</c> (current wheels depend on the <c>nvidia-nccl</c> package,
/// which installs there; it is the NCCL that libtorch_cuda itself links).</item>
/// <item>The system loader with the bare soname <c>libnccl.so.2</c>: a copy already in the process first (the
/// loader matches loaded libraries by soname, so where a CUDA libtorch linked NCCL, wherever its wheel put it, that very
/// copy is found), then <c>LD_LIBRARY_PATH</c> and the loader cache (a distribution's or NVIDIA's package).</item>
/// </list>
/// <para>A candidate is taken when the loader accepts it and it exports every entry point below; otherwise its reason
/// is recorded and the next is tried. When none is taken, <see cref="NcclUnavailableException"/> lists them all.</para>
/// </remarks>
public sealed unsafe class NcclLibrary
{
    /// <summary>The environment variable that names the NCCL library file to use, overriding the search.</summary>
    public const string EnvironmentVariable = "FOLK_LAB_NCCL";

    /// <summary>The file name and soname of NCCL 2's shared library.</summary>
    public const string FileName = "libnccl.so.2";

    static readonly object Gate = new();
    static NcclLibrary? _loaded;

    /// <summary>Where the library was loaded from: a path, or the soname when the system loader found it.</summary>
    public string Source { get; }

    /// <summary>The library's version, from <c>ncclGetVersion</c>.</summary>
    public Version Version { get; }

    /// <summary><c>ncclGetVersion(int* version)</c>: the version code (see <see cref="DecodeVersion"/>).</summary>
    internal readonly delegate* unmanaged[Cdecl]<int*, NcclResult> GetVersion;

    /// <summary><c>ncclGetUniqueId(ncclUniqueId* uniqueId)</c>: a new id, on rank 0 only.</summary>
    internal readonly delegate* unmanaged[Cdecl]<NcclUniqueId*, NcclResult> GetUniqueId;

    /// <summary><c>ncclCommInitRank(ncclComm_t* comm, int nranks, ncclUniqueId commId, int rank)</c>: blocks until all
    /// <c>nranks</c> ranks joined; the communicator uses the CUDA device current on the calling thread.</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr*, int, NcclUniqueId, int, NcclResult> CommInitRank;

    /// <summary><c>ncclCommDestroy(ncclComm_t comm)</c>: waits for pending operations, then frees the communicator.</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr, NcclResult> CommDestroy;

    /// <summary><c>ncclCommAbort(ncclComm_t comm)</c>: frees the communicator without waiting (after an error).</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr, NcclResult> CommAbort;

    /// <summary><c>ncclAllReduce(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t datatype,
    /// ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)</c>; in place when the buffers are equal.</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, NcclDataType, int, IntPtr, IntPtr, NcclResult> AllReduce;

    /// <summary><c>ncclBroadcast(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t datatype, int root,
    /// ncclComm_t comm, cudaStream_t stream)</c>; in place when the buffers are equal.</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, NcclDataType, int, IntPtr, IntPtr, NcclResult> Broadcast;

    /// <summary><c>const char* ncclGetErrorString(ncclResult_t result)</c>: NCCL's text for a code.</summary>
    internal readonly delegate* unmanaged[Cdecl]<NcclResult, IntPtr> GetErrorString;

    /// <summary><c>ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t* asyncError)</c>: an error raised while a
    /// collective ran on the GPU (a peer died, the network failed), which the launching call could not report.</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr, NcclResult*, NcclResult> CommGetAsyncError;

    /// <summary><c>const char* ncclGetLastError(ncclComm_t comm)</c>: the detail of the last failure (NCCL ≥ 2.13);
    /// null in older libraries, which is allowed.</summary>
    internal readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> GetLastError;

    /// <summary>Binds the entry points <paramref name="export"/> resolves (zero: missing) and reads the version.</summary>
    /// <exception cref="EntryPointNotFoundException">A required entry point is missing.</exception>
    internal NcclLibrary(string source, Func<string, IntPtr> export)
    {
        IntPtr Required(string name) => export(name) is var p && p != IntPtr.Zero ? p
            : throw new EntryPointNotFoundException($"it does not export {name} (not NCCL 2, or older than 2.4)");
        GetVersion = (delegate* unmanaged[Cdecl]<int*, NcclResult>)Required("ncclGetVersion");
        GetUniqueId = (delegate* unmanaged[Cdecl]<NcclUniqueId*, NcclResult>)Required("ncclGetUniqueId");
        CommInitRank = (delegate* unmanaged[Cdecl]<IntPtr*, int, NcclUniqueId, int, NcclResult>)Required("ncclCommInitRank");
        CommDestroy = (delegate* unmanaged[Cdecl]<IntPtr, NcclResult>)Required("ncclCommDestroy");
        CommAbort = (delegate* unmanaged[Cdecl]<IntPtr, NcclResult>)Required("ncclCommAbort");
        AllReduce = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, NcclDataType, int, IntPtr, IntPtr, NcclResult>)Required("ncclAllReduce");
        Broadcast = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, NcclDataType, int, IntPtr, IntPtr, NcclResult>)Required("ncclBroadcast");
        GetErrorString = (delegate* unmanaged[Cdecl]<NcclResult, IntPtr>)Required("ncclGetErrorString");
        CommGetAsyncError = (delegate* unmanaged[Cdecl]<IntPtr, NcclResult*, NcclResult>)Required("ncclCommGetAsyncError");
        GetLastError = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)export("ncclGetLastError");
        Source = source;
        int code;
        Check(GetVersion(&code), "ncclGetVersion");
        Version = DecodeVersion(code);
    }

    /// <summary>The process's NCCL, found as the remarks describe on first use and kept.</summary>
    /// <exception cref="NcclUnavailableException">No candidate loaded; the message lists each with its reason.</exception>
    public static NcclLibrary Load()
    {
        lock (Gate)
            return _loaded ??= Load(Candidates(Environment.GetEnvironmentVariable(EnvironmentVariable),
                Environment.GetEnvironmentVariable(ExternalLibTorch.EnvironmentVariable), ExternalLibTorch.Loaded));
    }

    /// <summary>The candidates, in search order, for these values of <see cref="EnvironmentVariable"/>, of
    /// <c>FOLK_LAB_LIBTORCH</c> and of <see cref="ExternalLibTorch.Loaded"/>; duplicates are dropped.</summary>
    internal static IReadOnlyList<NcclCandidate> Candidates(string? ncclVariable, string? libtorchVariable, IEnumerable<string> loadedLibTorch)
    {
        if (!string.IsNullOrWhiteSpace(ncclVariable)) return new[] { new NcclCandidate(ncclVariable.Trim(), EnvironmentVariable) };
        var folders = loadedLibTorch.Select(Path.GetDirectoryName).OfType<string>()
            .Concat(string.IsNullOrWhiteSpace(libtorchVariable) ? Array.Empty<string>() : new[] { libtorchVariable.Trim() })
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal);
        var candidates = new List<NcclCandidate>();
        foreach (var folder in folders)
        {
            candidates.Add(new NcclCandidate(Path.Combine(folder, FileName), "beside libtorch"));
            candidates.Add(new NcclCandidate(Path.GetFullPath(Path.Combine(folder, "..", "..", "nvidia", "nccl", "lib", FileName)), "pip's nvidia-nccl package"));
        }
        candidates.Add(new NcclCandidate(FileName, "system loader"));
        return candidates.DistinctBy(c => c.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>The first of <paramref name="candidates"/> that loads and exports NCCL's entry points.</summary>
    /// <exception cref="NcclUnavailableException">None did; the message lists each with its reason.</exception>
    internal static NcclLibrary Load(IReadOnlyList<NcclCandidate> candidates)
    {
        var tried = new List<string>();
        foreach (var (path, origin) in candidates)
        {
            bool isFile = path.Contains('/');
            if (isFile && !File.Exists(path))
            {
                tried.Add($"{path} ({origin}): no such file");
                continue;
            }
            IntPtr handle;
            try
            {
                handle = NativeLibrary.Load(path);                 // its exception carries dlerror()'s text; TryLoad's would not
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                tried.Add($"{path} ({origin}): the loader refused it: {LoaderReason(e.Message)}");
                continue;
            }
            try
            {
                return new NcclLibrary(isFile ? path : $"{path} ({origin})", name => NativeLibrary.TryGetExport(handle, name, out var p) ? p : IntPtr.Zero);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or NcclException)
            {
                tried.Add($"{path} ({origin}): loaded, but {OneLine(e.Message)}");
            }
        }
        throw new NcclUnavailableException(tried);
    }

    /// <summary>NCCL's version code as a version: <c>major*10000 + minor*100 + patch</c> from NCCL 2.9 on
    /// (<c>NCCL_VERSION_CODE</c> in nccl.h), <c>major*1000 + minor*100 + patch</c> before.</summary>
    public static Version DecodeVersion(int code) => code >= 10000
        ? new Version(code / 10000, code % 10000 / 100, code % 100)
        : new Version(code / 1000, code % 1000 / 100, code % 100);

    /// <summary>NCCL's text for <paramref name="result"/> (<c>ncclGetErrorString</c>), and, given a communicator,
    /// the detail of its last failure (<c>ncclGetLastError</c>) where the library has it.</summary>
    public string Describe(NcclResult result, IntPtr comm = default)
    {
        var text = Marshal.PtrToStringUTF8(GetErrorString(result)) ?? "";
        if (GetLastError != null && Marshal.PtrToStringUTF8(GetLastError(comm)) is { Length: > 0 } detail)
            text += $" ({detail.Trim()})";
        return text;
    }

    /// <summary>Throws <see cref="NcclException"/>, with this library's text, unless <paramref name="result"/> is success.</summary>
    internal void Check(NcclResult result, string call, IntPtr comm = default)
    {
        if (result != NcclResult.Success) throw new NcclException(result, call, Describe(result, comm));
    }

    /// <summary>The dynamic loader's own text (dlerror) from .NET's message, without .NET's advice around it.</summary>
    static string LoaderReason(string message)
    {
        const string preamble = "environment variable:";
        int at = message.IndexOf(preamble, StringComparison.Ordinal);
        return OneLine(at < 0 ? message : message[(at + preamble.Length)..]);
    }

    static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
