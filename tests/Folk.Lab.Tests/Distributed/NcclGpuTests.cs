using Folk.Lab.Distributed.Nccl;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Distributed;

/// <summary>NCCL itself, on one GPU (world size 1): run on the GPU machine with FOLK_LAB_REQUIRE_GPU=1.</summary>
[Trait("Category", "Gpu")]
public class NcclGpuTests
{
    [CudaFact]
    public void TheSelfCheckPassesEveryStep()
    {
        var result = NcclSelfCheck.Run(0);
        Assert.Equal(2, result.Version.Major);
        Assert.Equal(0, result.CudaDevice);
        Assert.StartsWith("one-rank communicator (NCCL 2.", result.Passed[0]);
        Assert.Equal(new[] { "all-reduce float32", "all-reduce bfloat16", "device address of a slice", "broadcast from root 0", "barrier" }, result.Passed.Skip(1));
    }

    [CudaFact]
    public void AOneRankGroupLeavesEveryTypeUnchangedAndRefusesWhatItCannotServe()
    {
        using var group = new NcclProcessGroup(0, 1, id => id, 0);
        Assert.Matches(@"^NCCL 2\.\d+\.\d+$", group.Backend);
        Assert.Equal((0, 1, 0), (group.Rank, group.WorldSize, group.CudaDevice));
        var cuda = device(DeviceType.CUDA, 0);
        foreach (var type in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64, ScalarType.Byte })
        {
            using var scope = NewDisposeScope();
            var x = (rand(3, 5, device: cuda) * 100).to(type);
            var before = x.cpu();
            group.AllReduceSum(x);
            group.Broadcast(x, 0);
            Assert.True(before.eq(x.cpu()).all().item<bool>(), $"{type} changed on one rank");
        }
        group.Barrier();

        using var onCpu = ones(3);
        Assert.Contains("serves cuda:0", Assert.Throws<ArgumentException>(() => group.AllReduceSum(onCpu)).Message);
        using var wide = ones(4, 4, device: cuda);
        using var column = wide.narrow(1, 1, 1);
        Assert.Contains("not contiguous", Assert.Throws<ArgumentException>(() => group.AllReduceSum(column)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => group.Broadcast(wide, 1));
    }

    [CudaFact]
    public void DisposeIsIdempotentAndEndsTheGroup()
    {
        var group = new NcclProcessGroup(0, 1, id => id, 0);
        group.Dispose();
        group.Dispose();
        using var x = ones(2, device: device(DeviceType.CUDA, 0));
        Assert.Throws<ObjectDisposedException>(() => group.AllReduceSum(x));
        Assert.Throws<ObjectDisposedException>(() => group.Barrier());
    }
}
