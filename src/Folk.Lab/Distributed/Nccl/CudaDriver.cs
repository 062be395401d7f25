using System.Runtime.InteropServices;

namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// Makes a CUDA device current on the calling thread, which <c>ncclCommInitRank</c> requires ("the CUDA device used
/// is the current device", NCCL's API docs) and TorchSharp cannot do: it has no <c>torch.cuda.set_device</c>.
/// </summary>
/// <remarks>
/// Through the CUDA driver API (<c>libcuda.so.1</c>, installed with the driver on every GPU machine, under that one
/// soname): the device's primary context, the one the runtime API and libtorch use, is retained
/// (<c>cuDevicePrimaryCtxRetain</c>) and made current (<c>cuCtxSetCurrent</c>). That is what <c>cudaSetDevice</c>
/// does, and every copy of the CUDA runtime in the process (libtorch's, the one linked into NCCL) then reports this
/// device from <c>cudaGetDevice</c>. Each device's context is retained once and kept for the life of the process, as
/// libtorch keeps it too.
/// </remarks>
internal static unsafe class CudaDriver
{
    const string Library = "libcuda.so.1";

    static readonly object Gate = new();
    static readonly Dictionary<int, IntPtr> Contexts = new();
    static IntPtr _handle;

    /// <summary>Makes <paramref name="device"/>'s primary context current on this thread.</summary>
    /// <exception cref="InvalidOperationException">The driver is missing or refused (its own error text is included).</exception>
    public static void MakeCurrent(int device)
    {
        IntPtr context;
        lock (Gate)
        {
            if (_handle == IntPtr.Zero)
            {
                try { _handle = NativeLibrary.Load(Library); }
                catch (DllNotFoundException e) { throw new InvalidOperationException($"The CUDA driver ({Library}) did not load: {e.Message}", e); }
                Check(((delegate* unmanaged[Cdecl]<uint, int>)Export("cuInit"))(0), "cuInit");
            }
            if (!Contexts.TryGetValue(device, out context))
            {
                int handle;
                Check(((delegate* unmanaged[Cdecl]<int*, int, int>)Export("cuDeviceGet"))(&handle, device), "cuDeviceGet");
                Check(((delegate* unmanaged[Cdecl]<IntPtr*, int, int>)Export("cuDevicePrimaryCtxRetain"))(&context, handle), "cuDevicePrimaryCtxRetain");
                Contexts[device] = context;
            }
        }
        Check(((delegate* unmanaged[Cdecl]<IntPtr, int>)Export("cuCtxSetCurrent"))(context), "cuCtxSetCurrent");
    }

    static IntPtr Export(string name) => NativeLibrary.TryGetExport(_handle, name, out var p) ? p
        : throw new InvalidOperationException($"The CUDA driver ({Library}) does not export {name}.");

    /// <summary>Throws with the driver's name and text for a <c>CUresult</c> other than <c>CUDA_SUCCESS</c> (0).</summary>
    static void Check(int result, string call)
    {
        if (result == 0) return;
        IntPtr name = IntPtr.Zero, text = IntPtr.Zero;
        if (NativeLibrary.TryGetExport(_handle, "cuGetErrorName", out var n)) ((delegate* unmanaged[Cdecl]<int, IntPtr*, int>)n)(result, &name);
        if (NativeLibrary.TryGetExport(_handle, "cuGetErrorString", out var s)) ((delegate* unmanaged[Cdecl]<int, IntPtr*, int>)s)(result, &text);
        throw new InvalidOperationException($"{call} failed with {Marshal.PtrToStringUTF8(name) ?? "CUresult"} ({result}): {Marshal.PtrToStringUTF8(text) ?? "no text"}.");
    }
}
