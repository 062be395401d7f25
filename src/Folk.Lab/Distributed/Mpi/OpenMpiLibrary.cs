using System.Runtime.InteropServices;

namespace Folk.Lab.Distributed.Mpi;

/// <summary>
/// The few calls of Open MPI's C library that data-parallel training needs (MPI 3.1: <c>MPI_Init_thread</c>,
/// <c>MPI_Comm_rank</c>, <c>MPI_Comm_size</c>, <c>MPI_Allreduce</c>, <c>MPI_Bcast</c>, <c>MPI_Barrier</c>,
/// <c>MPI_Finalize</c> and their queries), bound by hand.
/// </summary>
/// <remarks>
/// <para>Why not the <c>MPI.NET</c> package: its 1.4.0 build binds <c>msmpi.dll</c> (Microsoft MPI) and compiles MS-MPI's
/// handles in as integers (<c>MPI_COMM_WORLD</c> = 0x44000000, <c>MPI_FLOAT</c> = 0x4c00040a). Open MPI's handles are
/// pointers to objects inside <c>libmpi.so</c> (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>), so that package
/// cannot talk to Open MPI on Linux: under <c>mpirun</c> it fails to load <c>msmpi.dll</c>. This binding reads the handles'
/// addresses from the library's exported symbols instead.</para>
/// <para>The library is opened with <c>RTLD_GLOBAL</c>, as <c>mpi4py</c> does, because Open MPI opens its own components
/// later and they resolve symbols against it. Errors keep MPI's default handler, <c>MPI_ERRORS_ARE_FATAL</c>: a failed
/// collective ends the whole job, which is what a data-parallel run wants (no rank waits for ever on a dead one).</para>
/// </remarks>
internal sealed class OpenMpiLibrary
{
    /// <summary>Open MPI 3.x and 4.x's shared library (Debian's <c>libopenmpi3</c>).</summary>
    public const string FileName = "libmpi.so.40";

    /// <summary>How to get it, for error messages.</summary>
    public const string InstallHint = "sudo apt-get install openmpi-bin libopenmpi-dev";

    /// <summary><c>MPI_IN_PLACE</c> in Open MPI's <c>mpi.h</c>: <c>((void *) 1)</c>.</summary>
    public static readonly IntPtr InPlace = 1;

    /// <summary><c>MPI_THREAD_SERIALIZED</c>: any thread may call MPI, one at a time (the trainer calls from one).</summary>
    public const int ThreadSerialized = 2;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int InitThread(IntPtr argc, IntPtr argv, int required, out int provided);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int Flag(out int flag);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int NoArguments();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int CommQuery(IntPtr comm, out int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int AllreduceCall(IntPtr send, IntPtr receive, int count, IntPtr datatype, IntPtr op, IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int BcastCall(IntPtr buffer, int count, IntPtr datatype, int root, IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int BarrierCall(IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int TextQuery(byte[] text, out int length);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int ErrorStringCall(int code, byte[] text, out int length);

    public required InitThread MPI_Init_thread { get; init; }
    public required Flag MPI_Initialized { get; init; }
    public required Flag MPI_Finalized { get; init; }
    public required NoArguments MPI_Finalize { get; init; }
    public required CommQuery MPI_Comm_rank { get; init; }
    public required CommQuery MPI_Comm_size { get; init; }
    public required AllreduceCall MPI_Allreduce { get; init; }
    public required BcastCall MPI_Bcast { get; init; }
    public required BarrierCall MPI_Barrier { get; init; }
    public required TextQuery MPI_Get_library_version { get; init; }
    public required ErrorStringCall MPI_Error_string { get; init; }

    /// <summary><c>MPI_COMM_WORLD</c>.</summary>
    public required IntPtr CommWorld { get; init; }

    /// <summary><c>MPI_SUM</c>.</summary>
    public required IntPtr Sum { get; init; }

    /// <summary>Datatype handles by element size and kind: <c>MPI_FLOAT</c>, <c>MPI_DOUBLE</c>, <c>MPI_INT64_T</c>,
    /// <c>MPI_INT</c>, <c>MPI_BYTE</c>.</summary>
    public required IntPtr Float, Double, Int64, Int32, Byte;

    static OpenMpiLibrary? _loaded;
    static readonly object Gate = new();

    /// <summary>Loads the library once per process.</summary>
    /// <exception cref="DllNotFoundException">Open MPI is not installed; the message says how to install it.</exception>
    public static OpenMpiLibrary Load()
    {
        lock (Gate) return _loaded ??= Open();
    }

    static OpenMpiLibrary Open()
    {
        var handle = dlopen(FileName, RtldNow | RtldGlobal);
        if (handle == IntPtr.Zero)
            throw new DllNotFoundException($"Open MPI's library {FileName} could not be loaded ({Marshal.PtrToStringUTF8(dlerror()) ?? "no reason given"}). Install it: {InstallHint}.");
        T Function<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(handle, name));
        IntPtr Symbol(string name) => NativeLibrary.GetExport(handle, name);
        return new OpenMpiLibrary
        {
            MPI_Init_thread = Function<InitThread>("MPI_Init_thread"),
            MPI_Initialized = Function<Flag>("MPI_Initialized"),
            MPI_Finalized = Function<Flag>("MPI_Finalized"),
            MPI_Finalize = Function<NoArguments>("MPI_Finalize"),
            MPI_Comm_rank = Function<CommQuery>("MPI_Comm_rank"),
            MPI_Comm_size = Function<CommQuery>("MPI_Comm_size"),
            MPI_Allreduce = Function<AllreduceCall>("MPI_Allreduce"),
            MPI_Bcast = Function<BcastCall>("MPI_Bcast"),
            MPI_Barrier = Function<BarrierCall>("MPI_Barrier"),
            MPI_Get_library_version = Function<TextQuery>("MPI_Get_library_version"),
            MPI_Error_string = Function<ErrorStringCall>("MPI_Error_string"),
            CommWorld = Symbol("ompi_mpi_comm_world"),
            Sum = Symbol("ompi_mpi_op_sum"),
            Float = Symbol("ompi_mpi_float"),
            Double = Symbol("ompi_mpi_double"),
            Int64 = Symbol("ompi_mpi_int64_t"),
            Int32 = Symbol("ompi_mpi_int"),
            Byte = Symbol("ompi_mpi_byte"),
        };
    }

    /// <summary>Throws <see cref="MpiException"/> for a non-zero return code of <paramref name="call"/>.</summary>
    public void Check(int code, string call)
    {
        if (code == 0) return;
        var text = new byte[256];                                    // MPI_MAX_ERROR_STRING
        string message = MPI_Error_string(code, text, out int length) == 0 ? System.Text.Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)) : "no description";
        throw new MpiException(call, code, message);
    }

    /// <summary>The library's own version line, e.g. "Open MPI v4.1.4, package: Debian OpenMPI, …" (first part).</summary>
    public string Version()
    {
        var text = new byte[256];                                    // MPI_MAX_LIBRARY_VERSION_STRING
        Check(MPI_Get_library_version(text, out int length), "MPI_Get_library_version");
        var version = System.Text.Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).TrimEnd('\0', '\n');
        int comma = version.IndexOf(',');
        return comma > 0 ? version[..comma] : version;
    }

    const int RtldNow = 2, RtldGlobal = 0x100;

    [DllImport("libc", EntryPoint = "dlopen")]
    static extern IntPtr dlopen(string file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    static extern IntPtr dlerror();
}
