using System.Text.Json.Nodes;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Evaluation.Robustness;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Evaluation.Robustness;

[Collection(GlobalRngCollection.Name)]
public class RobustnessEvaluationTests(RobustnessEvaluationTests.ClassifierRun classifierRun) : IClassFixture<RobustnessEvaluationTests.ClassifierRun>, IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>One fine-tuned classifier the tests of this class share, deleted after the last of them.</summary>
    public sealed class ClassifierRun : IDisposable
    {
        public string Folder { get; } = FinetunedClassifierFolder();

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    static readonly SyntheticImages Train = new(new SyntheticImagesOptions { Size = 32, Count = 64, Seed = 1 });
    static readonly SyntheticImages Test = new(new SyntheticImagesOptions { Size = 32, Count = 40, Seed = 2 });

    static string FinetunedClassifierFolder()
    {
        var folder = Directory.CreateTempSubdirectory("folk-robust-ft-").FullName;
        var recipe = FinetunePresets.Miniature("vit-t", imageSize: 32, patchSize: 8, depth: 1) with
        {
            BatchSize = 16,
            Trainer = FinetunePresets.Miniature().Trainer with { Epochs = 1, WarmupEpochs = 0.25, CheckpointEveryEpochs = 1 },
        };
        var result = Finetune.Run(recipe, Finetune.Random, new LabelledData(Train, Test, "synthetic", 10), folder, new FinetuneOptions { Workers = 1 })!;
        File.WriteAllText(Path.Combine(folder, "expected-top1.txt"), result.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return folder;
    }

    static RobustnessOptions Options => new()
    {
        Corruptions = [CommonCorruption.GaussianNoise, CommonCorruption.Contrast], Severities = [1, 5], BatchSize = 16, Workers = 1,
    };

    [Fact]
    public void TheReloadedClassifierScoresTheCleanTestSetExactlyAsTheFineTuningDid()
    {
        using var classifier = FinetunedClassifier.Open(classifierRun.Folder);
        Assert.Equal(("vit-t", 32, 32, 10, "supervised"), (classifier.Architecture, classifier.ImageSize, classifier.EvaluationSize, classifier.Classes, classifier.Encoder.Method));
        var folder = _temp.New("folk-robust-");
        var result = RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, folder, Options with { Corruptions = [] })!;
        double expected = double.Parse(File.ReadAllText(Path.Combine(classifierRun.Folder, "expected-top1.txt")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, result.Metrics["top1"], 12);                          // same weights, geometry and normalisation
        Assert.Equal(("robustness", "clean", "top1"), (result.Protocol, result.Setting, result.Headline));
    }

    [Fact]
    public void EveryCellIsMeasuredRecordedAndReusedWhenTheEvaluationResumes()
    {
        using var classifier = FinetunedClassifier.Open(classifierRun.Folder);
        var folder = _temp.New("folk-robust-");
        var progress = new List<RobustnessProgress>();
        var result = RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, folder, Options, new SyncProgress(progress))!;
        Assert.Equal(5, progress.Count);                                              // clean + 2 corruptions × 2 severities
        Assert.Equal(["clean", "gaussian_noise.1", "gaussian_noise.5", "contrast.1", "contrast.5"], progress.Select(p => p.Cell));
        Assert.Equal("mean_error", result.Headline);                                  // no AlexNet normalisation off ImageNet
        Assert.False(result.Metrics.ContainsKey("mce"));
        double[] cells = [result.Metrics["error.gaussian_noise.1"], result.Metrics["error.gaussian_noise.5"], result.Metrics["error.contrast.1"], result.Metrics["error.contrast.5"]];
        Assert.Equal(cells.Average(), result.Metrics["mean_error"], 12);
        Assert.Equal((cells[0] + cells[1]) / 2, result.Metrics["error.gaussian_noise"], 12);
        Assert.All(cells, e => Assert.Equal(0, (e * 40) % 1, 9));                       // whole images out of 40

        // a resumed evaluation takes finished cells from cells.json: plant a value and see it come back
        var path = Path.Combine(folder, RobustnessEvaluation.CellsFile);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["cells"]!["contrast.5"] = 0.125;
        File.WriteAllText(path, node.ToJsonString());
        var resumed = RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, folder, Options)!;
        Assert.Equal(0.125, resumed.Metrics["error.contrast.5"]);
        Assert.Equal(cells[0], resumed.Metrics["error.gaussian_noise.1"]);

        var other = Assert.Throws<InvalidOperationException>(() => RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, folder, Options with { Seed = 1 }));
        Assert.Contains("another evaluation", other.Message);
    }

    [Fact]
    public void ABaselineNormalisesTheErrorsUnlessNormalisationIsTurnedOff()
    {
        using var classifier = FinetunedClassifier.Open(classifierRun.Folder);
        var all = Options with { Severities = [1, 2, 3, 4, 5], Corruptions = [CommonCorruption.Contrast] };
        var plain = RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, _temp.New("folk-robust-"), all)!;
        var errors = new CorruptionErrors(plain.Metrics["clean_error"], Enumerable.Range(1, 5).ToDictionary(s => (CommonCorruption.Contrast, s), s => plain.Metrics[$"error.contrast.{s}"]));
        var half = new CorruptionBaseline("half", plain.Metrics["clean_error"] / 2, new Dictionary<CommonCorruption, double> { [CommonCorruption.Contrast] = 2 * errors.MeanError(CommonCorruption.Contrast) });
        var normalised = RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, _temp.New("folk-robust-"), all with { Baseline = half })!;
        Assert.Equal(("mce", 0.5), (normalised.Headline, normalised.Value));               // Σ E / Σ (2 E)
        var off = RobustnessEvaluation.Run(classifier, Test, "synthetic", 10, null, _temp.New("folk-robust-"), all with { Baseline = half, Normalise = false })!;
        Assert.Equal("mean_error", off.Headline);
        Assert.False(off.Metrics.ContainsKey("mce"));
    }

    [Fact]
    public void AClassifierIsRefusedOnADataSetWithOtherClassesAndImagesOfAnotherSide()
    {
        using var classifier = FinetunedClassifier.Open(classifierRun.Folder);
        var folder = _temp.New("folk-robust-");
        Assert.Contains("10 outputs but", Assert.Throws<ArgumentException>(() => RobustnessEvaluation.Run(classifier, Test, "synthetic", 12, null, folder, Options)).Message);
        var subset = new Folk.Lab.Data.Manifests.ManifestLabelSpace("imagenet-1k", 1000, [1, 2]);
        Assert.Contains("1000 outputs", Assert.Throws<ArgumentException>(() => RobustnessEvaluation.Run(classifier, Test, "synthetic", 2, subset, folder, Options)).Message);
        Assert.Contains("not a fine-tuning run", Assert.Throws<InvalidDataException>(() => FinetunedClassifier.Open(
            Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", "mfm"))).Message);
    }

    [Fact]
    public void AClassSubsetIsScoredOnItsOwnColumnsOfTheLogits()
    {
        // a 2-class "ImageNet-A" of the synthetic images labelled 0 and 1, standing for classes 7 and 3 of the classifier
        using var classifier = FinetunedClassifier.Open(classifierRun.Folder);
        var subset = new DatasetSubset(Test, Enumerable.Range(0, Test.Count).Where(i => Test.LabelOf(i) is 0 or 1));
        var space = new Folk.Lab.Data.Manifests.ManifestLabelSpace("synthetic", 10, [3, 7]);
        var result = RobustnessEvaluation.Run(classifier, subset, "synthetic-pair", 2, space, _temp.New("folk-robust-"),
            Options with { Corruptions = [] })!;

        long wrong = 0;
        using (TorchSharp.torch.no_grad())
            for (int i = 0; i < subset.Count; i++)
            {
                using var sample = subset.Get(i);
                using var x = Folk.Lab.Data.ImageNetNormalization.Normalize(classifier.Geometry().Apply(sample.Image, new Random(0)).unsqueeze(0));
                using var logits = classifier.Model.forward(x);
                // label 0 is column 3, label 1 is column 7: the restricted arg-max picks the larger of the two
                int predicted = logits[0, 7].item<float>() > logits[0, 3].item<float>() ? 1 : 0;
                if (predicted != sample.Label) wrong++;
            }
        Assert.Equal((double)wrong / subset.Count, result.Metrics["clean_error"], 12);
    }

    sealed class SyncProgress(List<RobustnessProgress> into) : IProgress<RobustnessProgress>
    {
        public void Report(RobustnessProgress value) => into.Add(value);
    }
}
