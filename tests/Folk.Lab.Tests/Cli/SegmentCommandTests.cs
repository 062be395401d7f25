using Folk.Lab.Evaluation;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Cli;

[Collection(GlobalRngCollection.Name)]
public class SegmentCommandTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SegmentWritesItsResultEndsWithTheMiouAndTheTableShowsItAsAColumn()
    {
        var root = _temp.New("folk-segment-cli-");
        var folder = Path.Combine(root, "random-s0");
        var r = CliRunner.Run("segment", "--encoder", "random", "--image-size", "16", "--patch-size", "4", "--depth", "1", "--iterations", "4",
            "--warmup-iterations", "1", "--batch-size", "4", "--synthetic-train", "8", "--synthetic-test", "2", "--threads", "2", "--layer-decay", "0.9", "--out", folder);
        Assert.True(r.ExitCode == 0, r.Error);
        var result = EvaluationResult.Read(folder);
        Assert.Equal(0.9, result.Config["Trainer"]!["LayerDecay"]!.GetValue<double>());
        Assert.Equal(("segmentation", "random", "vit-t"), (result.Protocol, result.Encoder.Method, result.Encoder.Model));
        Assert.EndsWith($"mIoU {result.Value:P2}", r.Out.TrimEnd());
        Assert.Contains("synthetic (8 train, 2 test, 11 classes)", r.Out);

        var table = CliRunner.Run("results", "table", root, "--paper", "mfm");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("| Method | Segmentation mIoU (%) |", table.Out);
        Assert.Contains($"| Random init | {(100 * result.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} (n=1) |", table.Out);

        // the diagnostic that centres the read tokens per image is recorded and gets a column of its own
        var centred = Path.Combine(root, "random-centred-s0");
        r = CliRunner.Run("segment", "--encoder", "random", "--image-size", "16", "--patch-size", "4", "--depth", "1", "--iterations", "2",
            "--warmup-iterations", "1", "--batch-size", "4", "--synthetic-train", "8", "--synthetic-test", "2", "--threads", "2", "--centre-tokens", "--out", centred);
        Assert.True(r.ExitCode == 0, r.Error);
        var diagnostic = EvaluationResult.Read(centred);
        Assert.True(diagnostic.Config["Heads"]!["CentreTokens"]!.GetValue<bool>());
        Assert.Equal(("segmentation", "segmentation, centred tokens"), (diagnostic.Protocol, diagnostic.Setting));
        Assert.False(result.Config["Heads"]!["CentreTokens"]!.GetValue<bool>());
        table = CliRunner.Run("results", "table", root, "--paper", "mfm");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("| Method | Segmentation mIoU (%) | segmentation, centred tokens |", table.Out);
    }

    [Fact]
    public void BadChoicesAndNonViTRunsAreUsageErrors()
    {
        var folder = _temp.New("folk-segment-cli-");
        var r = CliRunner.Run("segment", "--encoder", "random", "--preset", "huge", "--out", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--preset 'huge' is not allowed; use one of: miniature, official", r.Error);
        r = CliRunner.Run("segment", "--encoder", "random", "--model", "resnet50", "--out", folder);
        Assert.Equal(2, r.ExitCode);
        r = CliRunner.Run("segment", "--encoder", "random", "--data", Path.Combine(RepositoryRoot.Path, "data-manifests", "cifar-10.json"), "--root", folder, "--out", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no per-pixel labels", r.Error);
    }
}
