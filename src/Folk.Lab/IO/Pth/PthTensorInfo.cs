using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>One tensor of a <c>.pth</c> state dict as its pickle describes it, without reading its bytes.</summary>
/// <param name="Name">The state-dict key.</param>
/// <param name="Shape">Sizes (empty for a 0-d tensor).</param>
/// <param name="DType">PyTorch's dtype name (<c>float32</c>, <c>bfloat16</c>…).</param>
public sealed record PthTensorInfo(string Name, long[] Shape, string DType)
{
    /// <summary>The description of a tensor already in memory, in the same terms.</summary>
    public static PthTensorInfo Of(string name, Tensor tensor) => new(name, tensor.shape, TorchDTypes.Name(tensor.dtype));
}
