using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using static Folk.Lab.Tests.Evaluation.EvaluationResultTests;

namespace Folk.Lab.Tests.Evaluation;

public sealed class ResultsTableTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-table-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SeedsOfOneSettingBecomeMeanAndSampleStd()
    {
        var table = ResultsTable.Build(new[]
        {
            Result("mfm", "k-NN", 2, 0.74), Result("mfm", "k-NN", 0, 0.71), Result("mfm", "k-NN", 1, 0.80),
            Result("random", "k-NN", 0, 0.30),
        });
        Assert.Equal(new[] { "MFM", "Random init" }, table.Rows.Select(r => r.Name));
        Assert.Equal(new[] { "k-NN" }, table.Columns.Select(c => c.Name));
        var cell = table[0, 0]!;
        // by hand, in percent: mean = (71 + 80 + 74) / 3 = 75, std = √(((−4)² + 5² + (−1)²) / 2) = √21
        Assert.Equal(new[] { 71.0, 80.0, 74.0 }, cell.Values.Select(v => Math.Round(v, 9)));   // in seed order
        Assert.Equal(3, cell.N);
        Assert.Equal(75.0, cell.Mean, 9);
        Assert.Equal(Math.Sqrt(21), cell.Std, 9);
        Assert.Equal("75.00 ± 4.58 (n=3)", ResultsTableText.Summary(cell));
        Assert.True(double.IsNaN(table[1, 0]!.Std));
        Assert.Equal("30.00 (n=1)", ResultsTableText.Summary(table[1, 0]!));
        Assert.Null(cell.Paper);                                    // Fashion-MNIST ViT-T: no published number
    }

    [Fact]
    public void ThePapersNumberStandsBesideOursWithItsSourceAndDelta()
    {
        var results = new[]
        {
            Result("sr", "fine-tune", 0, 0.800, "vit-b", "imagenet-1k"), Result("sr", "fine-tune", 1, 0.810, "vit-b", "imagenet-1k"),
            Result("mfm", "fine-tune", 0, 0.829, "vit-b", "imagenet-1k"),
            Result("mfm", "k-NN", 0, 0.5, "vit-b", "imagenet-1k"),
        };
        var table = ResultsTable.Build(results, PaperLayout.Mfm);
        Assert.Equal(new[] { "MFM", "SR" }, table.Rows.Select(r => r.Name));                  // the paper's order, not the input's
        Assert.Equal(new[] { "Top-1 acc (%)", "k-NN top-1 (%)" }, table.Columns.Select(c => c.Name));
        var mfm = table[0, 0]!;
        Assert.Equal(83.1, mfm.Paper!.Value);
        Assert.True(mfm.Paper.Verified);
        Assert.Contains("README", mfm.Paper.Source);
        Assert.Equal(82.9 - 83.1, mfm.Delta!.Value, 9);
        Assert.Equal(80.5 - 82.4, table[1, 0]!.Delta!.Value, 9);
        Assert.Null(table[0, 1]!.Paper);                                                     // no k-NN number is published
        Assert.Null(table[1, 1]);                                                            // SR was not probed

        var md = ResultsTableText.Markdown(table).Split('\n');
        Assert.Equal("| Method | Top-1 acc (%) | paper | Δ | k-NN top-1 (%) |", md[2]);
        Assert.Equal("| --- | ---: | ---: | ---: | ---: |", md[3]);
        Assert.Equal("| MFM | 82.90 (n=1) | 83.1 [1] | -0.20 | 50.00 (n=1) |", md[4]);
        Assert.Equal("| SR | 80.50 ± 0.71 (n=2) | 82.4 [1] | -1.90 | — |", md[5]);             // same source, same footnote
        Assert.Single(md, l => l.StartsWith('['));
        Assert.Contains(md, l => l.StartsWith("[1] MFM official README", StringComparison.Ordinal) && l.Contains("100 fine-tuning epochs"));

        var csv = ResultsTableText.Csv(table).TrimEnd('\n').Split('\n');
        Assert.Equal(3, csv.Length);
        Assert.Equal("row,method,model,Top-1 acc (%) mean,Top-1 acc (%) std,Top-1 acc (%) n,Top-1 acc (%) paper,Top-1 acc (%) delta,Top-1 acc (%) source,"
                     + "k-NN top-1 (%) mean,k-NN top-1 (%) std,k-NN top-1 (%) n", csv[0]);
        var sr = CsvFields(csv[2]);
        Assert.Equal(12, sr.Count);
        Assert.Equal(("SR", "sr", ""), (sr[0], sr[1], sr[2]));
        Assert.Equal(80.5, double.Parse(sr[3], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(Math.Sqrt(0.5), double.Parse(sr[4], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(("2", "82.4"), (sr[5], sr[6]));
        Assert.Equal(-1.9, double.Parse(sr[7], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(PaperNumbers.Find(results[0])!.Source, sr[8]);                         // quoted: the source has commas
        Assert.Equal(("", "", ""), (sr[9], sr[10], sr[11]));

        var html = ResultsTableText.Html(table);
        Assert.Contains("<td>83.1<sup>[1]</sup></td><td>-0.20</td>", html);
        Assert.Equal(2, html.Split("<tr><th scope=\"row\">").Length - 1);
    }

    /// <summary>The fields of one RFC 4180 line (quoted fields may hold commas and doubled quotes).</summary>
    static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields;
    }

    [Fact]
    public void EpochsPickTheMatchingNumberAndUnverifiedNumbersAreMarked()
    {
        var rn300 = Result("mfm", "fine-tune", 0, 0.8, "resnet50", "imagenet-1k", config: new JsonObject { ["trainer"] = new JsonObject { ["epochs"] = 300 } });
        var rn100 = Result("mfm", "fine-tune", 0, 0.8, "resnet50", "imagenet-1k", config: new JsonObject { ["epochs"] = 100 });
        Assert.Equal(80.1, PaperNumbers.Find(rn300)!.Value);
        Assert.Equal(78.5, PaperNumbers.Find(rn100)!.Value);
        Assert.Equal(78.5, PaperNumbers.Find(rn100 with { Config = new JsonObject() })!.Value);
        Assert.Null(PaperNumbers.Find(rn100 with { Headline = "top5", Metrics = new Dictionary<string, double> { ["top5"] = 0.9 } }));

        var vits = Result("mfm", "fine-tune", 0, 0.8, "vit-s", "imagenet-1k");
        Assert.False(PaperNumbers.Find(vits)!.Verified);
        var md = ResultsTableText.Markdown(ResultsTable.Build(new[] { vits }));
        Assert.Contains("| 81.6 [1]† | -1.60 |", md);
        Assert.Contains("not yet verified", md);
        Assert.All(PaperNumbers.All.Where(n => n.Verified), n => Assert.Contains("README", n.Source));
    }

    [Fact]
    public void SeveralModelsAndDataSetsJoinTheKeysAndNothingIsDropped()
    {
        var table = ResultsTable.Build(new[]
        {
            Result("denoise", "linear", 0, 0.4, "vit-t"), Result("mfm", "linear", 0, 0.6, "vit-s"), Result("mfm", "linear", 0, 0.5, "vit-t"),
            Result("mfm", "linear", 1, 0.55, "vit-t", "synthetic"), Result("byol", "few-shot", 0, 0.2, "vit-t"),
        }, PaperLayout.Folk);
        Assert.Equal(new[] { "MFM · vit-s", "MFM · vit-t", "Denoise · vit-t", "byol · vit-t" }, table.Rows.Select(r => r.Name));
        Assert.Equal(new[] { "Linear probe top-1 (%) (fashion-mnist)", "Linear probe top-1 (%) (synthetic)", "few-shot (fashion-mnist)" }, table.Columns.Select(c => c.Name));
        Assert.Equal(1, table[1, 0]!.N);
        Assert.Equal(55.0, table[1, 1]!.Mean, 9);
    }

    [Fact]
    public void MixedMetricsAndARepeatedSeedAreRefusedNamingTheFiles()
    {
        var a = Result("mfm", "k-NN", 0, 0.5) with { SourceFile = "runs/a/result.json" };
        var b = Result("mfm", "k-NN", 0, 0.6) with { SourceFile = "runs/b/result.json" };
        var e = Assert.Throws<InvalidDataException>(() => ResultsTable.Build(new[] { a, b }));
        Assert.Contains("runs/a/result.json and runs/b/result.json are both seed 0", e.Message);
        var c = Result("mfm", "k-NN", 1, 0.6, headline: "top5") with { SourceFile = "runs/c/result.json" };
        e = Assert.Throws<InvalidDataException>(() => ResultsTable.Build(new[] { a, c }));
        Assert.Contains("runs/a/result.json reports \"top1\" but runs/c/result.json reports \"top5\"", e.Message);
        Assert.Throws<ArgumentException>(() => ResultsTable.Build(Array.Empty<EvaluationResult>()));
    }

    [Fact]
    public void RunFoldersAreFoundDirectlyOrOneLevelDown()
    {
        for (int seed = 0; seed < 2; seed++) Result("mfm", "k-NN", seed, 0.5 + seed / 10.0).Write(Path.Combine(_dir, "parent", $"knn-{seed}"));
        Directory.CreateDirectory(Path.Combine(_dir, "parent", "pretrain"));
        var single = Path.Combine(_dir, "single");
        Result("random", "k-NN", 0, 0.2).Write(single);

        var found = ResultFiles.Find(new[] { Path.Combine(_dir, "parent"), single, Path.Combine(_dir, "parent", "knn-1") });
        Assert.Equal(3, found.Files.Count);                                              // knn-1 given twice counts once
        Assert.Equal(new[] { Path.Combine(_dir, "parent", "pretrain") }, found.FoldersWithout);
        var table = ResultsTable.Read(new[] { Path.Combine(_dir, "parent"), single });
        Assert.Equal(55.0, table[0, 0]!.Mean, 9);

        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(Path.Combine(empty, "sub"));
        var e = Assert.Throws<FileNotFoundException>(() => ResultFiles.Find(new[] { empty }));
        Assert.Contains($"{empty} holds no result.json, and neither do its 1 subfolder(s)", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => ResultFiles.Find(new[] { Path.Combine(_dir, "missing") }));
    }

    [Fact]
    public void RobustnessErrorsAreShownInPercentAsTheLayoutsHeadingSays()
    {
        // MFM's Table 4 prints mCE and errors in percent; the layout's heading says "(%, ↓)"
        var corrupted = Result("mfm", "corruptions", 0, 0.7639, headline: "mean_error");
        var table = ResultsTable.Build([corrupted, Result("mfm", "clean", 0, 0.28)], PaperLayout.MfmRobustness);
        var markdown = ResultsTableText.Markdown(table);
        Assert.Contains("76.39 (n=1)", markdown);
        Assert.Contains("28.00 (n=1)", markdown);
        Assert.True(ResultsCell.IsAccuracy("mce") && ResultsCell.IsAccuracy("relative_mce"));
        Assert.False(ResultsCell.IsAccuracy("loss"));
    }

    [Fact]
    public void NewestPerSeedKeepsOneResultPerSeedOfACellAndNamesTheRest()
    {
        var old = Result("mfm", "fine-tune", 0, 0.20);
        var newer = Result("mfm", "fine-tune", 0, 0.38) with { Date = old.Date.AddHours(1) };
        var other = Result("mfm", "fine-tune", 1, 0.30);
        var knn = Result("mfm", "k-NN", 0, 0.50);
        var (kept, superseded) = ResultsTable.NewestPerSeed(new[] { old, newer, other, knn });
        Assert.Equal(new[] { newer, other, knn }, kept);
        Assert.Equal(new[] { old }, superseded);
        Assert.Throws<InvalidDataException>(() => ResultsTable.Build(new[] { old, newer, other }));   // what it prevents
        Assert.Equal(2, ResultsTable.Build(kept)[0, 0]!.N);
    }
}
