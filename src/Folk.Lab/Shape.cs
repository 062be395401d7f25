using static TorchSharp.torch;

namespace Folk.Lab;

/// <summary>Formatting of tensor shapes for messages: <c>[64×3×224×224]</c>.</summary>
internal static class Shape
{
    public static string Format(Tensor t) => Format(t.shape);
    public static string Format(long[] shape) => "[" + string.Join("×", shape) + "]";
}
