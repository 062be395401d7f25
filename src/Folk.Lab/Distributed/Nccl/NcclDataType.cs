using static TorchSharp.torch;

namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// NCCL's <c>ncclDataType_t</c> (nccl.h; NCCL's API docs, "Types": ncclDataType_t), the element types a collective
/// understands. Only the types present since NCCL 2.10 are listed, the versions PyTorch wheels ship; NCCL's newer
/// 8-bit float types have no TorchSharp counterpart.
/// </summary>
public enum NcclDataType
{
    /// <summary><c>ncclInt8</c> (= <c>ncclChar</c>).</summary>
    Int8 = 0,
    /// <summary><c>ncclUint8</c>.</summary>
    UInt8 = 1,
    /// <summary><c>ncclInt32</c> (= <c>ncclInt</c>).</summary>
    Int32 = 2,
    /// <summary><c>ncclUint32</c>.</summary>
    UInt32 = 3,
    /// <summary><c>ncclInt64</c>.</summary>
    Int64 = 4,
    /// <summary><c>ncclUint64</c>.</summary>
    UInt64 = 5,
    /// <summary><c>ncclFloat16</c> (= <c>ncclHalf</c>).</summary>
    Float16 = 6,
    /// <summary><c>ncclFloat32</c> (= <c>ncclFloat</c>).</summary>
    Float32 = 7,
    /// <summary><c>ncclFloat64</c> (= <c>ncclDouble</c>).</summary>
    Float64 = 8,
    /// <summary><c>ncclBfloat16</c> (NCCL ≥ 2.10, built with CUDA ≥ 11).</summary>
    BFloat16 = 9,
}

/// <summary>Which <see cref="NcclDataType"/> carries a TorchSharp element type.</summary>
public static class NcclDataTypes
{
    /// <summary>The NCCL type of <paramref name="type"/>: the same bits, so a sum is computed in the tensor's own type.</summary>
    /// <exception cref="ArgumentException">NCCL has no such type: bool (a sum of bools is not a bool; use uint8),
    /// int16, the complex types (reduce the real view, <c>torch.view_as_real</c>) and the quantised types.</exception>
    public static NcclDataType From(ScalarType type) => type switch
    {
        ScalarType.Int8 => NcclDataType.Int8,
        ScalarType.Byte => NcclDataType.UInt8,
        ScalarType.Int32 => NcclDataType.Int32,
        ScalarType.Int64 => NcclDataType.Int64,
        ScalarType.Float16 => NcclDataType.Float16,
        ScalarType.Float32 => NcclDataType.Float32,
        ScalarType.Float64 => NcclDataType.Float64,
        ScalarType.BFloat16 => NcclDataType.BFloat16,
        ScalarType.Bool => throw Unsupported(type, "convert to uint8 (torch.uint8) first: a sum of bools is not a bool"),
        ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64 => throw Unsupported(type, "reduce the real view (torch.view_as_real) instead"),
        _ => throw Unsupported(type, "use int8, uint8, int32, int64, float16, bfloat16, float32 or float64"),
    };

    static ArgumentException Unsupported(ScalarType type, string fix) =>
        new($"NCCL has no element type for {type}: {fix}.", nameof(type));
}
