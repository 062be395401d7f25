using Folk.Lab.Distributed.Nccl;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Distributed;

/// <summary>What a process group checks before it calls anything native; the collectives themselves are in NcclGpuTests.</summary>
public class NcclProcessGroupTests
{
    static byte[] Id(int seed) => Enumerable.Range(0, NcclUniqueId.Size).Select(i => (byte)(i * 31 + seed)).ToArray();

    [Theory]
    [InlineData(2, 2, 0, "rank", "Rank 2 is outside 0..1 for a world of 2")]
    [InlineData(-1, 4, 0, "rank", "Rank -1 is outside 0..3")]
    [InlineData(0, 0, 0, "worldSize", "The world size is 0; it must be at least 1")]
    [InlineData(0, -3, 0, "worldSize", "The world size is -3")]
    [InlineData(0, 1, -1, "cudaDevice", "CUDA device -1: device indices start at 0")]
    public void BadArgumentsAreRefusedBeforeNcclIsLookedFor(int rank, int worldSize, int device, string parameter, string message)
    {
        // Where NCCL is missing (here), a check that ran after the library search would throw NcclUnavailableException.
        int shared = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NcclProcessGroup(rank, worldSize, b => { shared++; return b; }, device));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(message, e.Message);
        Assert.Equal(0, shared);
    }

    [Fact]
    public void AMissingExchangeIsRefusedFirst()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new NcclProcessGroup(0, 1, null!, 0));
        Assert.Equal("shareUniqueId", e.ParamName);
    }

    [Fact]
    public void WithoutNcclOrTheDeviceNothingIsExchanged()
    {
        // No machine has device 1000: where NCCL and CUDA exist the device check refuses it, elsewhere NCCL or CUDA is
        // missing; in no case may the exchange run, since the other ranks would then wait for this one in NCCL.
        int shared = 0;
        var e = Assert.ThrowsAny<Exception>(() => new NcclProcessGroup(0, 1, b => { shared++; return b; }, 1000));
        Assert.True(e is NcclUnavailableException or InvalidOperationException or ArgumentOutOfRangeException { ParamName: "cudaDevice" }, e.ToString());
        Assert.Equal(0, shared);
    }

    [Fact]
    public void RankZeroCreatesTheIdAndEveryRankGetsRankZerosBytes()
    {
        // an in-place broadcast, as MPI_Bcast is: rank 0's call stores the buffer, the others' calls overwrite theirs
        byte[]? root = null;
        var given = new List<byte[]>();
        byte[] Broadcast(byte[] buffer, int rank)
        {
            given.Add((byte[])buffer.Clone());
            if (rank == 0) root = (byte[])buffer.Clone(); else root!.CopyTo(buffer, 0);
            return buffer;
        }
        int created = 0;
        NcclUniqueId Create() { created++; return NcclUniqueId.FromBytes(Id(5)); }

        var ids = Enumerable.Range(0, 3).Select(rank => NcclProcessGroup.ExchangeUniqueId(rank, b => Broadcast(b, rank), Create)).ToList();

        Assert.Equal(1, created);
        Assert.Equal(Id(5), given[0]);
        Assert.All(given.Skip(1), b => Assert.Equal(new byte[NcclUniqueId.Size], b));      // zeros off rank 0, same size
        Assert.All(ids, id => Assert.Equal(Id(5), id.ToBytes()));
    }

    [Fact]
    public void AnExchangeThatDoesNotDeliverRankZerosIdIsCaught()
    {
        static NcclUniqueId Create() => NcclUniqueId.FromBytes(Id(1));
        var own = Assert.Throws<InvalidOperationException>(() => NcclProcessGroup.ExchangeUniqueId(1, b => b, Create));
        Assert.Contains("128 zero bytes on rank 1", own.Message);
        var other = Assert.Throws<InvalidOperationException>(() => NcclProcessGroup.ExchangeUniqueId(0, _ => Id(2), Create));
        Assert.Contains("other bytes on rank 0", other.Message);
        var none = Assert.Throws<InvalidOperationException>(() => NcclProcessGroup.ExchangeUniqueId(1, _ => null!, Create));
        Assert.Contains("returned null on rank 1", none.Message);
        var shortId = Assert.Throws<ArgumentException>(() => NcclProcessGroup.ExchangeUniqueId(1, _ => new byte[64], Create));
        Assert.Contains("got 64", shortId.Message);
    }

    [Fact]
    public void TensorsAreCheckedForTypeLayoutAndDeviceWithTheFix()
    {
        using var flags = zeros(2, 3, dtype: ScalarType.Bool);
        var type = Assert.Throws<ArgumentException>(() => NcclProcessGroup.CheckTensor(flags, 0, "tensor"));
        Assert.Contains("the tensor of shape [2, 3] (Bool) on cpu", type.Message);
        Assert.Contains("uint8", type.Message);
        Assert.Equal("tensor", type.ParamName);

        using var matrix = ones(2, 3);
        using var transposed = matrix.t();
        var layout = Assert.Throws<ArgumentException>(() => NcclProcessGroup.CheckTensor(transposed, 0, "tensor"));
        Assert.Contains("shape [3, 2] (Float32) on cpu is not contiguous", layout.Message);
        Assert.Contains("tensor.contiguous()", layout.Message);

        var device = Assert.Throws<ArgumentException>(() => NcclProcessGroup.CheckTensor(matrix, 1, "tensor"));
        Assert.Contains("shape [2, 3] (Float32) on cpu, but this NCCL group serves cuda:1", device.Message);
        Assert.Contains("tensor.to(cuda:1)", device.Message);
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(2, 2)]
    [InlineData(1, 1)]
    public void ABroadcastRootOutsideTheWorldIsRefused(int root, int worldSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NcclProcessGroup.CheckRoot(root, worldSize));
        Assert.Equal("root", e.ParamName);
        Assert.Contains($"Root {root} is outside 0..{worldSize - 1}", e.Message);
        NcclProcessGroup.CheckRoot(worldSize - 1, worldSize);
    }
}
