using Folk.Lab.Distributed.Nccl;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Distributed;

public class NcclDataTypeTests
{
    [Theory]
    [InlineData(ScalarType.Int8, NcclDataType.Int8, 0)]
    [InlineData(ScalarType.Byte, NcclDataType.UInt8, 1)]
    [InlineData(ScalarType.Int32, NcclDataType.Int32, 2)]
    [InlineData(ScalarType.Int64, NcclDataType.Int64, 4)]
    [InlineData(ScalarType.Float16, NcclDataType.Float16, 6)]
    [InlineData(ScalarType.Float32, NcclDataType.Float32, 7)]
    [InlineData(ScalarType.Float64, NcclDataType.Float64, 8)]
    [InlineData(ScalarType.BFloat16, NcclDataType.BFloat16, 9)]
    public void EachTorchTypeMapsToNcclsValueForTheSameBits(ScalarType torchType, NcclDataType expected, int ncclValue)
    {
        Assert.Equal(expected, NcclDataTypes.From(torchType));
        Assert.Equal(ncclValue, (int)NcclDataTypes.From(torchType));                     // ncclDataType_t in nccl.h
    }

    [Fact]
    public void TheUnsignedWideTypesKeepNcclsNumbers()
    {
        Assert.Equal(3, (int)NcclDataType.UInt32);
        Assert.Equal(5, (int)NcclDataType.UInt64);
    }

    [Theory]
    [InlineData(ScalarType.Bool, "uint8")]
    [InlineData(ScalarType.ComplexFloat32, "view_as_real")]
    [InlineData(ScalarType.ComplexFloat64, "view_as_real")]
    [InlineData(ScalarType.Int16, "use int8, uint8, int32, int64")]
    [InlineData(ScalarType.QInt8, "use int8, uint8, int32, int64")]
    public void TypesNcclLacksAreRefusedWithTheFix(ScalarType type, string fix)
    {
        var e = Assert.Throws<ArgumentException>(() => NcclDataTypes.From(type));
        Assert.Contains($"NCCL has no element type for {type}", e.Message);
        Assert.Contains(fix, e.Message);
    }
}
