using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>Where a tensor's elements are, for handing them to a native collective (MPI, NCCL) without a copy.</summary>
internal static class TensorMemory
{
    /// <summary>The address of <paramref name="tensor"/>'s first element (host memory for CPU tensors, device memory for
    /// CUDA ones): libtorch's <c>Tensor::data_ptr()</c>, through TorchSharp's own native library.</summary>
    public static IntPtr Pointer(Tensor tensor) => THSTensor_data(tensor.Handle);

    [DllImport("LibTorchSharp")]
    static extern IntPtr THSTensor_data(IntPtr handle);
}
