using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Folk.Lab.Distributed.Nccl;

namespace Folk.Lab.Tests.Distributed;

public class NcclUniqueIdTests
{
    [Fact]
    public void IsExactly128BytesAsNcclHDeclaresIt()
    {
        Assert.Equal(128, NcclUniqueId.Size);
        Assert.Equal(128, Unsafe.SizeOf<NcclUniqueId>());
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
    }

    [Fact]
    public void BytesRoundTrip()
    {
        var bytes = Enumerable.Range(0, 128).Select(i => (byte)(i * 7 + 3)).ToArray();
        var id = NcclUniqueId.FromBytes(bytes);
        Assert.Equal(bytes, id.ToBytes());
        Assert.False(id.IsZero);
        bytes[5] ^= 0xFF;                                                                 // the id holds a copy
        Assert.NotEqual(bytes, id.ToBytes());
        Assert.True(new NcclUniqueId().IsZero);
        Assert.False(NcclUniqueId.FromBytes(new byte[127].Append((byte)1).ToArray()).IsZero);  // the last byte counts
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(129)]
    [InlineData(256)]
    public void AnyOtherLengthIsRefusedWithBothLengths(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => NcclUniqueId.FromBytes(new byte[length]));
        Assert.Contains($"is 128 bytes (NCCL_UNIQUE_ID_BYTES); got {length}", e.Message);
        Assert.Equal("bytes", e.ParamName);
    }
}
