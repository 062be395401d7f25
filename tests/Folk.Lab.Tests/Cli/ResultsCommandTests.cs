using static Folk.Lab.Tests.Evaluation.EvaluationResultTests;

namespace Folk.Lab.Tests.Cli;

public sealed class ResultsCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TableMergesParentFoldersInThePapersLayout()
    {
        for (int seed = 0; seed < 3; seed++)
        {
            Result("mfm", "fine-tune", seed, 0.83 + seed / 1000.0, "vit-b", "imagenet-1k").Write(Path.Combine(_dir, "runs", $"mfm-{seed}"));
            Result("random", "fine-tune", seed, 0.70, "vit-b", "imagenet-1k").Write(Path.Combine(_dir, "runs", $"random-{seed}"));
        }
        Directory.CreateDirectory(Path.Combine(_dir, "runs", "pretrain-mfm"));
        var r = CliRunner.Run("results", "table", Path.Combine(_dir, "runs"), "--paper", "mfm");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("| MFM | 83.10 ± 0.10 (n=3) | 83.1 [1] | ±0.00 |", r.Out);
        Assert.Contains("| Random init | 70.00 ± 0.00 (n=3) |  |  |", r.Out);
        Assert.Contains("pretrain-mfm: no result.json, left out", r.Error);

        var csv = Path.Combine(_dir, "table.csv");
        r = CliRunner.Run("results", "table", Path.Combine(_dir, "runs"), "--format", "csv", "--out", csv);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("2 row(s) × 1 setting(s) from 6 result(s)", r.Out);
        Assert.StartsWith("row,method,model,fine-tune mean,", File.ReadAllText(csv));
    }

    [Fact]
    public void FoldersWithoutResultsAndBadChoicesAreUsageErrors()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "nothing"));
        var r = CliRunner.Run("results", "table", Path.Combine(_dir, "nothing"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("holds no result.json", r.Error);
        r = CliRunner.Run("results", "table", _dir, "--paper", "mae");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--paper 'mae' is not allowed; use one of: mfm, folk", r.Error);
        r = CliRunner.Run("results", "table");
        Assert.Equal(2, r.ExitCode);
    }
}
