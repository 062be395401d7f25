using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>Raw little-endian bytes of tensors, for the file formats (.npy, .safetensors).</summary>
internal static class TensorBytes
{
    /// <summary>A CPU, contiguous copy's bytes (the tensor is copied first when it is on another device or strided).</summary>
    public static byte[] Of(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return cpu.numel() == 0 ? Array.Empty<byte>() : cpu.bytes.ToArray();
    }

    /// <summary>A new CPU tensor of <paramref name="dtype"/> and <paramref name="shape"/> holding <paramref name="bytes"/>.</summary>
    public static Tensor Create(ReadOnlySpan<byte> bytes, ScalarType dtype, long[] shape)
    {
        var t = empty(shape, dtype);
        if (t.numel() > 0) bytes.CopyTo(t.bytes);
        return t;
    }

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Int16 => 2,
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {dtype} has no raw byte layout here."),
    };
}
