using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>
/// The address of a tensor's first element, for handing to a native collective library. TorchSharp exposes no such
/// accessor on <see cref="Tensor"/>, so this calls its native library's <c>THSTensor_data</c>, which returns
/// libtorch's <c>Tensor::data_ptr()</c>: the storage's address plus the tensor's storage offset, on whatever device
/// the tensor lives (a device address for a CUDA tensor).
/// </summary>
internal static unsafe class TensorMemory
{
    static readonly Lazy<IntPtr> Data = new(() =>
    {
        // Resolved the way TorchSharp's own bindings are (same assembly, same search), so this is the native library
        // TorchSharp already loaded, not a second copy.
        var library = NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
        return NativeLibrary.GetExport(library, "THSTensor_data");
    });

    /// <summary>The address of <paramref name="tensor"/>'s first element. Valid while the tensor (and its storage)
    /// lives; its elements are laid out there in memory order only if the tensor is contiguous.</summary>
    /// <exception cref="InvalidOperationException">libtorch returned no address (a tensor without storage).</exception>
    public static IntPtr Pointer(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var pointer = ((delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)Data.Value)(tensor.Handle);
        if (pointer == IntPtr.Zero && tensor.numel() > 0)
            throw new InvalidOperationException($"libtorch gave no data address for the tensor of shape [{string.Join(", ", tensor.shape)}] on {tensor.device}.");
        return pointer;
    }
}
