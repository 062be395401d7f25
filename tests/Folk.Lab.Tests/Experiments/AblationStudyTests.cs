using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.Methods;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Experiments;

[Collection(GlobalRngCollection.Name)]
public sealed class AblationStudyTests
{
    public static TheoryData<string> Studies() => new() { "mfm", "folk" };

    static AblationStudy Of(string name) => name == "mfm" ? MfmAblations.Study : FolkAblations.Study;

    [Theory, MemberData(nameof(Studies))]
    public void EveryReferenceRowIsTheSeriesSharedRunOfItsMethod(string name)
    {
        var study = Of(name);
        var references = study.Rows.Where(r => r.Change is null && r.RunOf is null).ToList();
        Assert.NotEmpty(references);
        foreach (var row in references)
            Assert.Equal(RunCache.Key(SeriesMiniature.Recipe(row.Method), "fashion-mnist"),
                RunCache.Key(row.RecipeFrom(m => SeriesMiniature.Recipe(m)), "fashion-mnist"));
        Assert.All(study.Groups, g => Assert.Single(study.Rows, r => r.Group == g && r.Reference));
        Assert.All(study.Rows.Where(r => r.Reference), r => Assert.Null(r.Change));
    }

    [Theory, MemberData(nameof(Studies))]
    public void EveryChangedRowIsARunOfItsOwnAndEveryKeyNamesOneRow(string name)
    {
        var study = Of(name);
        var keys = study.Runs(quickOnly: false).Select(r => RunCache.Key(r.RecipeFrom(m => SeriesMiniature.Recipe(m)), "fashion-mnist")).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());                         // no two runs are the same run under two names
        foreach (var group in study.Rows.GroupBy(r => r.Key))
            Assert.Single(group.Select(r => (r.Method, r.Run, r.Part, Flags: string.Join(' ', r.Arguments), Changed: r.Change is not null)).Distinct());
        Assert.All(study.Rows, r => Assert.Matches("^[a-z0-9.-]+$", r.Key));
        Assert.All(study.Rows.Where(r => r.RunOf is { } other), r => Assert.Contains(study.Rows, o => o.Key == r.RunOf && o.RunOf is null));
        Assert.All(study.Rows.Where(r => r.Change is not null), r => Assert.NotEmpty(r.Arguments));
        Assert.All(study.Groups, g => Assert.True(study.Findings.ContainsKey(g), $"group '{g}' has no finding"));
    }

    [Fact]
    public void MfmRowsChangeTheSettingTheyName()
    {
        MfmConfig Config(string key) => (MfmConfig)MfmAblations.Study.Rows.First(r => r.Key == key).RecipeFrom(m => SeriesMiniature.Recipe(m)).Method;
        Assert.Equal(1, Config("low-only").Masks.LowPassProbability);
        Assert.Equal(0, Config("high-only").Masks.LowPassProbability);
        Assert.Equal(8, Config("r8").Masks.Radius1);
        Assert.Equal(0.5, Config("r8").Masks.LowPassProbability);
        Assert.Equal(2, Config("gamma-2").Loss.Gamma);
        Assert.Equal(Folk.Lab.Losses.FocalWeighting.PerImage, Config("focal").Loss.Focal);
        Assert.Equal(ReconstructionTarget.AllFrequencies, Config("target-all").Target);
        Assert.Equal(new MfmConfig(), Config("mfm"));
    }

    [Fact]
    public void TheRestorationRowsCarryTheReadmeNumbersAndNoOtherRowCarriesAny()
    {
        var rows = MfmAblations.Study.Rows.Where(r => r.PaperNumber is not null).ToList();
        Assert.Equal(new[] { ("mfm", 83.1), ("sr", 82.4), ("deblur", 81.7), ("denoise", 82.7) }, rows.Select(r => (r.Method, r.PaperNumber!.Value)));
        Assert.All(rows, r => Assert.True(r.PaperNumber!.Verified));
        Assert.DoesNotContain(FolkAblations.Study.Rows, r => r.PaperNumber is not null);
    }

    [Fact]
    public void TheTeacherAndStudentRowsReadTheReferenceRunAndTrainNothing()
    {
        var study = FolkAblations.Study;
        Assert.Equal(EncoderPart.Teacher, study.Rows.Single(r => r.Key == "teacher").Part);
        Assert.Equal(EncoderPart.Student, study.Rows.Single(r => r.Key == "student").Part);
        Assert.All(study.Rows.Where(r => r.Key is "teacher" or "student"), r => Assert.Equal("folk", r.Run));
        Assert.DoesNotContain(study.Runs(quickOnly: false), r => r.Key is "teacher" or "student");
    }

    [Fact]
    public void AKeyNamesOneRecipeInBothStudiesSoFullScaleFoldersCanBeShared()
    {
        var rows = MfmAblations.Study.Rows.Concat(FolkAblations.Study.Rows).Where(r => r.RunOf is null).ToList();
        foreach (var same in rows.GroupBy(r => r.Key))
            Assert.Single(same.Select(r => RunCache.Key(r.RecipeFrom(m => SeriesMiniature.Recipe(m)), "data")).Distinct());
        Assert.Contains(FolkAblations.Study.Rows, r => r.Key == "mfm");
    }

    [Fact]
    public void ARowRefusesARecipeOfAnotherMethod()
    {
        var row = MfmAblations.Study.Rows.Single(r => r.Key == "r8");
        Assert.Throws<ArgumentException>(() => row.Apply(SeriesMiniature.Recipe("folk")));
    }

    [Fact]
    public void FullScaleCommandsTrainEachRunOnceAndEvaluateEveryRowWithItsFlags()
    {
        var scale = new FullScale(Runs: "runs/x");
        var commands = AblationCommands.All(MfmAblations.Study, scale);
        var pretrain = commands.Where(c => c.StartsWith("folk-lab pretrain", StringComparison.Ordinal)).ToList();
        Assert.Equal(MfmAblations.Study.Runs(quickOnly: false).Count, pretrain.Count);
        Assert.Single(pretrain, c => c.EndsWith("--out runs/x/pretrain/mfm", StringComparison.Ordinal));
        Assert.Contains("folk-lab pretrain --method mfm --model vit-b --data data-manifests/imagenet-1k.json --root $IMAGENET --epochs 300 --batch-size 128 "
                        + "--accumulation 16 --device cuda --mask-radius 8 --out runs/x/pretrain/r8", pretrain);
        var distinctRows = MfmAblations.Study.Rows.Select(r => r.Key).Distinct().Count();
        Assert.Equal(distinctRows * AblationCommands.Settings.Count, commands.Count - pretrain.Count);
        Assert.Contains("folk-lab finetune --encoder runs/x/pretrain/r8 --preset official --label-fraction 0.01 --data data-manifests/imagenet-1k.json "
                        + "--root $IMAGENET --device cuda --out runs/x/finetune-1pct/r8", commands);

        var teacher = FolkAblations.Study.Rows.Single(r => r.Key == "teacher");
        Assert.Equal("folk-lab eval knn --encoder runs/x/pretrain/folk --crop-ratio 0.875 --data data-manifests/imagenet-1k.json --root $IMAGENET "
                     + "--device cuda --part teacher --out runs/x/knn/teacher", AblationCommands.Evaluate(teacher, "k-NN", scale));
        var noRoot = scale with { Root = "" };                                 // the manifest's default_root
        Assert.DoesNotContain("--root", AblationCommands.Pretrain(teacher, noRoot));
        Assert.DoesNotContain("--root", AblationCommands.Evaluate(teacher, "linear", noRoot));
    }

    static EvaluationResult Result(string setting, double value) => new(
        "knn", setting, new JsonObject(), new EncoderSource("run", null, null, "mfm", "vit-t"), "fashion-mnist", 0,
        new Dictionary<string, double> { ["top1"] = value }, "top1", 1, "cpu", new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

    static AblationMeasurement Measured(string key, double knn, double? linear = null)
    {
        var row = MfmAblations.Study.Rows.First(r => r.Key == key);
        var results = new Dictionary<string, EvaluationResult> { ["k-NN"] = Result("k-NN", knn) };
        if (linear is { } l) results["linear"] = Result("linear", l);
        return new AblationMeasurement(row, "run", results);
    }

    [Fact]
    public void ATableShowsEachRowMinusItsGroupsReferenceAndRanksWithoutJudging()
    {
        var table = AblationTable.Build(MfmAblations.Study,
            [Measured("mfm", 0.70, 0.80), Measured("r8", 0.65, 0.85), Measured("r32", 0.72), Measured("sr", 0.60, 0.75)], ["k-NN", "linear"]);

        // the reference appears in each group it belongs to, in the study's order
        Assert.Equal(new[] { "mfm", "sr", "r8", "mfm", "r32" }, table.Rows.Select(r => r.Key));
        int r8 = 2, r32 = 4, sr = 1;
        Assert.Equal(65, table[r8, 0]!.Value, 9);
        Assert.Equal(-5, table.Delta(r8, 0)!.Value, 9);
        Assert.Equal(5, table.Delta(r8, 1)!.Value, 9);
        Assert.Null(table.Delta(r32, 1));                                  // not measured
        Assert.Null(table.Delta(3, 0));                                    // the reference itself
        Assert.Equal(-10, table.Delta(sr, 0)!.Value, 9);
        Assert.Equal(new[] { "r32", "mfm", "r8" }, table.Ranking("mask radius r (at 224²)", "k-NN").Select(r => r.Key));
        Assert.Throws<ArgumentException>(() => table.Ranking("mask radius r (at 224²)", "fine-tune"));
    }

    [Fact]
    public void ATableRefusesARowOfAnotherStudy()
    {
        var folk = new AblationMeasurement(FolkAblations.Study.Rows.Single(r => r.Key == "lambda-0"), "run", new Dictionary<string, EvaluationResult>());
        Assert.Throws<ArgumentException>(() => AblationTable.Build(MfmAblations.Study, [folk], ["k-NN"]));
    }

    [Fact]
    public void FullScaleResultsAreReadWhereTheCommandsWriteThem()
    {
        var runs = Directory.CreateTempSubdirectory("folk-lab-ablation-").FullName;
        try
        {
            var scale = new FullScale(Runs: runs);
            var row = MfmAblations.Study.Rows.Single(r => r.Key == "r8");
            Assert.Null(AblationRun.ReadFullScale(row, scale));
            Result("k-NN", 0.5).Write(AblationCommands.EvaluationFolder(row, "k-NN", scale));
            var measured = AblationRun.ReadFullScale(row, scale)!;
            Assert.Equal(new[] { "k-NN" }, measured.Results.Keys);
            Assert.Equal(0.5, measured.Results["k-NN"].Value);
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
        }
    }

    [Fact]
    public void QuickRowsAreMeasuredOnceUnderTheCachesAblationFolderAndStayOutOfTheMainTables()
    {
        var root = Directory.CreateTempSubdirectory("folk-lab-ablation-cache-").FullName;
        try
        {
            var cache = new RunCache(root);
            var data = SeriesMiniature.Data("synthetic", train: 512, test: 40);
            var row = MfmAblations.Study.Rows.First(r => r.Key == "mfm");
            string run = AblationRun.Pretrain(row, m => SeriesMiniature.Recipe(m, epochs: 1), data.Train, data.Name, cache);
            Assert.Equal(cache.FolderFor(SeriesMiniature.Recipe("mfm", epochs: 1), data.Name), run);            // the reference row is the method's own recipe
            var protocols = new AblationProtocols { Seed = 2, FinetuneEpochs = 2, LabelFraction = 0.25 };

            var measured = AblationRun.Evaluate(row, run, data, data, cache, protocols);
            Assert.Equal(["k-NN", "linear", "fine-tune 25 %"], protocols.Settings);
            Assert.Equal(protocols.Settings, measured.Results.Keys);
            Assert.All(measured.Results.Values, r => Assert.Equal(run, r.Encoder.Run));
            Assert.Equal(LabelFraction.Of(data.Train, 0.25, seed: 2).Count, measured.Results["fine-tune 25 %"].Metrics["train_images"]);   // a quarter
            Assert.Empty(cache.Results());                                                         // not a row of the papers' main tables
            var all = cache.Results(ablations: true);
            Assert.Equal(3, all.Count);
            Assert.All(Directory.GetFiles(Path.Combine(root, "eval"), EvaluationResult.FileName, SearchOption.AllDirectories),
                file => Assert.StartsWith(Path.Combine(root, "eval", RunCache.Ablations, "synthetic-512-40") + Path.DirectorySeparatorChar, file));

            var again = AblationRun.Evaluate(row, run, data, data, cache, protocols);            // read back, not measured again
            Assert.Equal(measured.Results.Values.Select(r => r.Date), again.Results.Values.Select(r => r.Date));
            var otherEpochs = AblationRun.Evaluate(row, run, data, data, cache, protocols with { FinetuneEpochs = 3 });
            Assert.Equal(measured.Results["k-NN"].Date, otherEpochs.Results["k-NN"].Date);
            Assert.NotEqual(measured.Results["fine-tune 25 %"].Date, otherEpochs.Results["fine-tune 25 %"].Date);   // a changed recipe is a new evaluation
            Assert.Equal(4, cache.Results(ablations: true).Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
