using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Evaluation;

[Collection(GlobalRngCollection.Name)]
public class FinetuneTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static LabelledData Data() => new(
        new SyntheticImages(new SyntheticImagesOptions { Size = 16, Count = 64, Seed = 1 }),
        new SyntheticImages(new SyntheticImagesOptions { Size = 16, Count = 40, Seed = 2 }), "synthetic", 10);

    static FinetuneRecipe Tiny => FinetunePresets.Miniature("vit-t", imageSize: 16, patchSize: 8, depth: 1) with
    {
        BatchSize = 16,
        Trainer = FinetunePresets.Miniature().Trainer with { Epochs = 2, WarmupEpochs = 0.5, CheckpointEveryEpochs = 1 },
    };

    [Fact]
    public void ARunWritesItsResultAndASecondCallResumesInsteadOfRetraining()
    {
        var folder = _temp.New("folk-finetune-");
        var result = Finetune.Run(Tiny, Finetune.Random, Data(), folder)!;
        Assert.Equal(("finetune", "fine-tune", "supervised", "top1"), (result.Protocol, result.Setting, result.Encoder.Method, result.Headline));
        Assert.InRange(result.Value, 0, 1);
        Assert.True(result.Metrics["top5"] >= result.Value);
        Assert.Equal(64, result.Metrics["train_images"]);
        var read = EvaluationResult.Read(folder);
        Assert.Equal(result.Metrics, read.Metrics);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "checkpoints")).Length);    // one per epoch

        var again = Finetune.Run(Tiny, Finetune.Random, Data(), folder)!;
        Assert.Equal(result.Value, again.Value);                                              // the finished checkpoint is reloaded and scored again
        Assert.Throws<Folk.Lab.Training.RunFolderMismatchException>(() => Finetune.Run(Tiny with { DropPath = 0.2 }, Finetune.Random, Data(), folder));
    }

    [Fact]
    public void ARandomEncoderUnderAFineTuningRecipeCanBeRecordedAsTheRandomInitRow()
    {
        var folder = _temp.New("folk-finetune-");
        var result = Finetune.Run(Tiny, Finetune.Random, Data(), folder, new FinetuneOptions { RandomEncoderMethod = "random" })!;
        Assert.Equal(("random", Finetune.Random), (result.Encoder.Method, result.Encoder.Run));
        Assert.Equal("random", EvaluationResult.Read(folder).Encoder.Method);
        var table = ResultsTable.Build(new[] { result, Finetune.Run(Tiny, Finetune.Random, Data(), _temp.New("folk-finetune-"))! });
        Assert.Equal(new[] { "supervised", "random" }, table.Rows.Select(r => r.Method));   // two rows, not one seed given twice
        Assert.Throws<ArgumentException>(() => Finetune.Run(Tiny, Finetune.Random, Data(), folder, new FinetuneOptions { RandomEncoderMethod = "scratch" }));
    }

    [Fact]
    public void APretrainedRunAndALabelFractionAreRecorded()
    {
        var fixture = Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", "mfm");
        var folder = _temp.New("folk-finetune-");
        var result = Finetune.Run(Tiny, fixture, Data(), folder, new FinetuneOptions { LabelFraction = 0.5 })!;
        Assert.Equal("mfm", result.Encoder.Method);
        Assert.Equal(fixture, result.Encoder.Run);
        Assert.Matches("^[0-9a-f]{64}$", result.Encoder.Sha256!);
        Assert.Equal("fine-tune 50 %", result.Setting);
        Assert.Equal(34, result.Metrics["train_images"]);                                    // labels i mod 10: 4 classes of 7 keep 4, 6 classes of 6 keep 3
        Assert.Equal(0.5, result.Config["LabelFraction"]!.GetValue<double>());
    }

    [Fact]
    public void TheResNet50RecipesAreRsbA3AndA2AndRunEndToEndWithLambBinaryCrossEntropyAndRepeatedAugmentation()
    {
        var a3 = FinetunePresets.For("resnet50");
        Assert.Equal((Folk.Lab.Training.Optim.OptimizerKind.Lamb, 100, 160, 224, 0.2), (a3.Trainer.Optimizer, a3.Trainer.Epochs, a3.ImageSize, a3.EvaluationSize, a3.BinaryCrossEntropy!.TargetThreshold));
        var a2 = FinetunePresets.ResNet50A2;
        Assert.Equal((300, 224, 3, 0.05, 7.0), (a2.Trainer.Epochs, a2.ImageSize, a2.RepeatedAugmentations, a2.DropPath, a2.Augmentation.RandAugment!.Magnitude));
        Assert.Equal(5e-3 / 8e-3, a2.Trainer.BaseLearningRate / a3.Trainer.BaseLearningRate, 12);

        var data = new LabelledData(
            new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 24, Seed = 1 }),
            new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 8, Seed = 2 }), "synthetic", 10);
        var recipe = a2 with { ImageSize = 32, EvaluationSize = 64, BatchSize = 8, Trainer = a2.Trainer with { Epochs = 1, WarmupEpochs = 0.5 } };
        var folder = _temp.New("folk-finetune-rsb-");
        try
        {
            var result = Finetune.Run(recipe, Finetune.Random, data, folder)!;
            Assert.InRange(result.Value, 0, 1);
            Assert.True(double.IsFinite(result.Metrics["final_loss"]));
            Assert.Equal("Lamb", result.Config["Trainer"]!["Optimizer"]!.ToString());
            Assert.Equal(3, result.Config["RepeatedAugmentations"]!.GetValue<int>());
            Assert.Equal(0.2, result.Config["BinaryCrossEntropy"]!["TargetThreshold"]!.GetValue<double>());
            Assert.Single(Directory.GetFiles(Path.Combine(folder, "checkpoints")));
        }
        finally { Directory.Delete(folder, recursive: true); }                     // a ResNet-50 checkpoint: 270 MB
    }
}
