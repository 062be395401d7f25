using System.Runtime.InteropServices;

namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// NCCL's <c>ncclUniqueId</c>: the 128 opaque bytes (<c>NCCL_UNIQUE_ID_BYTES</c>) that name one communicator. Rank 0
/// makes it with <c>ncclGetUniqueId</c>; every rank passes the same bytes to <c>ncclCommInitRank</c> (NCCL's API docs,
/// "Communicator Creation and Management Functions").
/// </summary>
/// <remarks>A blittable struct of exactly 128 bytes, because <c>ncclCommInitRank</c> takes the id <em>by value</em>:
/// the C struct is <c>{ char internal[128]; }</c>, and a fixed buffer gives .NET the same size and layout to pass.</remarks>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public unsafe struct NcclUniqueId
{
    /// <summary><c>NCCL_UNIQUE_ID_BYTES</c> in nccl.h.</summary>
    public const int Size = 128;

    fixed byte _internal[Size];

    /// <summary>A copy of the 128 bytes, for sending to the other ranks.</summary>
    public readonly byte[] ToBytes()
    {
        var bytes = new byte[Size];
        fixed (byte* source = _internal) new ReadOnlySpan<byte>(source, Size).CopyTo(bytes);
        return bytes;
    }

    /// <summary>The id held in <paramref name="bytes"/>, which must be exactly <see cref="Size"/> bytes long.</summary>
    /// <exception cref="ArgumentException">The length is not 128: the exchange lost or added bytes.</exception>
    public static NcclUniqueId FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length != Size)
            throw new ArgumentException($"An NCCL unique id is {Size} bytes (NCCL_UNIQUE_ID_BYTES); got {bytes.Length}. The id exchange must pass rank 0's bytes unchanged.", nameof(bytes));
        var id = new NcclUniqueId();
        bytes.CopyTo(new Span<byte>(id._internal, Size));
        return id;
    }

    /// <summary>Whether every byte is zero: what ranks other than 0 hold before the exchange, never a real id.</summary>
    public readonly bool IsZero
    {
        get
        {
            fixed (byte* source = _internal) return !new ReadOnlySpan<byte>(source, Size).ContainsAnyExcept((byte)0);
        }
    }
}
