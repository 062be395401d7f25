using Folk.Lab.Distributed.Nccl;

namespace Folk.Lab.Tests.Distributed;

public class NcclExceptionTests
{
    [Fact]
    public void WithoutTheLibraryTheBuiltInTextExplainsTheCode()
    {
        var e = new NcclException(NcclResult.SystemError, "ncclCommInitRank");
        Assert.Equal(NcclResult.SystemError, e.Result);
        Assert.Equal("ncclCommInitRank", e.Call);
        Assert.Equal($"ncclCommInitRank failed with ncclSystemError (2): {NcclException.BuiltInText(NcclResult.SystemError)}. {NcclException.DebugHint}", e.Message);
        Assert.Contains("/dev/shm", e.Message);
        Assert.Contains("NCCL_DEBUG=WARN", e.Message);
    }

    [Fact]
    public void TheLibrarysTextReplacesTheBuiltInOne()
    {
        var e = new NcclException(NcclResult.InvalidUsage, "ncclBroadcast", "invalid usage (run with NCCL_DEBUG=WARN for details)");
        Assert.StartsWith("ncclBroadcast failed with ncclInvalidUsage (5): invalid usage (run with NCCL_DEBUG=WARN for details).", e.Message);
        Assert.DoesNotContain(NcclException.BuiltInText(NcclResult.InvalidUsage), e.Message);
    }

    [Fact]
    public void EveryCodeHasItsOwnBuiltInTextAndTheEnumMatchesNcclH()
    {
        var codes = Enum.GetValues<NcclResult>();
        Assert.Equal(Enumerable.Range(0, 8), codes.Select(c => (int)c));                  // ncclSuccess = 0 … ncclInProgress = 7
        Assert.Equal(codes.Length, codes.Select(NcclException.BuiltInText).Distinct().Count());
        Assert.Contains("does not know", NcclException.BuiltInText((NcclResult)42));
        Assert.StartsWith("ncclGetVersion failed with nccl42 (42): ", new NcclException((NcclResult)42, "ncclGetVersion").Message);
    }
}
