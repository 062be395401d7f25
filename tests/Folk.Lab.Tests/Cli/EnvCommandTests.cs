using Folk.Lab.Distributed.Nccl;

namespace Folk.Lab.Tests.Cli;

public class EnvCommandTests
{
    [Fact]
    public void ProbeNcclReportsTheChecksOrWhyNcclCannotRun()
    {
        var r = CliRunner.Run("env", "--probe-nccl");
        Assert.Contains("TorchSharp", r.Out);                                              // the usual report comes first
        NcclLibrary? library = null;
        string? unavailable = null;
        try { library = NcclLibrary.Load(); }
        catch (NcclUnavailableException e) { unavailable = e.Message; }

        if (unavailable is not null)
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"folk-lab env --probe-nccl: {unavailable}", r.Error.Trim());
            Assert.Contains("Install PyTorch with CUDA", r.Error);
        }
        else if (!torch.cuda.is_available())
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("NCCL collectives need CUDA", r.Error);
        }
        else
        {
            Assert.True(r.ExitCode == 0, r.Error);
            Assert.Contains($"NCCL {library!.Version.ToString(3)} from {library.Source}", r.Out);
            Assert.Contains("broadcast from root 0, barrier: ok", r.Out);
        }
    }

    [Fact]
    public void WithoutTheFlagNcclIsNotTouched()
    {
        var r = CliRunner.Run("env");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("NCCL", r.Out + r.Error);
    }
}
