using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Cli;

/// <summary>The flags of each ablation row, given to <c>folk-lab pretrain</c>, train the row's own settings: what its
/// full-scale command trains is what its quick run trains.</summary>
[Collection(GlobalRngCollection.Name)]
public sealed class AblationFlagsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-ablation-flags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Rows()
    {
        var data = new TheoryData<string, string>();
        foreach (var study in new[] { MfmAblations.Study, FolkAblations.Study })
            foreach (var row in study.Runs(quickOnly: false).Where(r => r.Change is not null))
                data.Add(study.Name, row.Key);
        return data;
    }

    [Theory, MemberData(nameof(Rows))]
    public void TheRowsFlagsTrainTheRowsSettings(string studyName, string key)
    {
        var row = (studyName == "mfm" ? MfmAblations.Study : FolkAblations.Study).Rows.First(r => r.Key == key);
        var folder = Path.Combine(_dir, key);
        var args = new List<string>
        {
            "pretrain", "--method", row.Method, "--model", "vit-t", "--depth", "1", "--image-size", "16", "--patch-size", "8",
            "--epochs", "1", "--warmup-epochs", "0.5", "--batch-size", "8", "--synthetic-count", "16", "--workers", "1", "--out", folder,
        };
        if (row.Method == "folk") args.AddRange(["--prototypes", "32"]);
        args.AddRange(row.Arguments);
        var result = CliRunner.Run(args.ToArray());
        Assert.True(result.ExitCode == 0, result.Out + result.Error);

        var settings = MethodRegistry.Default.For(row.Method, "vit-t");
        if (settings is FolkConfig folk) settings = folk with { Head = folk.Head with { OutputDim = 32 } };
        var expected = row.Apply(new PretrainingRecipe { Method = settings, Model = "vit-t", ImageSize = 16, PatchSize = 8, Depth = 1 });
        var trained = PretrainedRun.Open(folder).Experiment;
        var described = PretrainingRun.Describe(expected, "synthetic");
        Assert.True(JsonNode.DeepEquals(described, trained), $"flags {string.Join(' ', row.Arguments)} trained\n{trained}\nnot\n{described}");
        Assert.False(JsonNode.DeepEquals(PretrainingRun.Describe(expected with { Method = settings }, "synthetic"), trained),
            "the row must change something");
    }

    [Fact]
    public void MfmFlagsForAnotherMethodAreRefused()
    {
        var result = CliRunner.Run("pretrain", "--method", "folk", "--mask-radius", "8", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--mask-radius", result.Error);
        result = CliRunner.Run("pretrain", "--method", "sr", "--com-probability", "1", "--out", Path.Combine(_dir, "y"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--com-probability", result.Error);
    }
}
