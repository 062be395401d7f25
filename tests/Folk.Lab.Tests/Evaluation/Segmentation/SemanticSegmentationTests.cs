using Folk.Lab.Data;
using Folk.Lab.Data.Segmentation;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Segmentation;
using Folk.Lab.Tests.Support;
using Folk.Lab.Training;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation.Segmentation;

[Collection(GlobalRngCollection.Name)]
public class SemanticSegmentationTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static SegmentationData Data() => TinySegmentation.Data();

    static SegmentationRecipe Tiny => TinySegmentation.Recipe;

    [Fact]
    public void ThePresetsAreTheMaeAde20kRecipeAndItsMiniature()
    {
        var official = SegmentationPresets.Official;
        Assert.Equal((512, (2048, 512), (0.5, 2.0), 0.75, 16), (official.Augmentation.CropSize, official.Augmentation.Scale, official.Augmentation.RatioRange,
            official.Augmentation.CategoryMaxRatio, official.BatchSize));
        var t = official.Trainer;
        Assert.Equal((160_000L, 1_500L, Folk.Lab.Training.Schedules.ScheduleKind.Poly, 1.0, 1e-6, 0.0), (t.Iterations!.Value, t.WarmupIterations!.Value, t.Schedule, t.PolyPower, t.WarmupRatio, t.MinLearningRate));
        Assert.Equal(1e-4, t.BaseLearningRate * 16 / 512, 15);                 // lr 1e-4 at batch 16
        Assert.Equal((0.05, 0.65, 0.9, 0.999), (t.WeightDecay, t.LayerDecay, t.Beta1, t.Beta2));
        Assert.Null(t.ClipGrad);
        Assert.Equal((768, 256, 0.4, 0.1), (official.Heads.Channels, official.Heads.AuxiliaryChannels, official.AuxiliaryWeight, official.DropPath));
        Assert.Equal((InferenceMode.Slide, 512, 341), (official.Inference.Mode, official.Inference.CropSize, official.Inference.Stride));
        var mini = SegmentationPresets.Miniature();
        Assert.Equal(((128, 32), 32, InferenceMode.Whole), (mini.Augmentation.Scale, mini.Augmentation.CropSize, mini.Inference.Mode));
    }

    [Fact]
    public void TheTrainingPipelineGivesFixedSizeNormalisedCropsAndTheirMaps()
    {
        var data = Data();
        Assert.Equal(11, data.Classes.Count);
        var loader = new DataLoader(data.Train, Tiny.Augmentation.Training(), new DataLoaderOptions { BatchSize = 8, Workers = 2 });
        using var batch = loader.Epoch(0).First();
        Assert.Equal(new long[] { 8, 3, 16, 16 }, batch.Images.shape);
        Assert.Equal(new long[] { 8, 16, 16 }, batch.Segmentation!.shape);
        var labels = batch.Segmentation.unique().Item1.data<long>().ToArray();
        Assert.All(labels, l => Assert.True(l is >= 0 and <= 10 or SegmentationLabels.Ignore, $"label {l}"));
        Assert.True(batch.Images.min().item<float>() < 0, "normalised");
    }

    /// <summary>Images that are their own class maps: channel 0 holds label / 10.</summary>
    sealed class MapsAsImages(SyntheticImages maps) : IImageDataset
    {
        public int Count => maps.Count;
        public IReadOnlyList<string> Classes => [];
        public ImageSample Get(int index)
        {
            using var sample = maps.Get(index);
            var map = sample.Segmentation!.clone();
            var channel = map.to(ScalarType.Float32).div(10).unsqueeze(0);
            return new ImageSample(cat(new[] { channel, zeros_like(channel), zeros_like(channel) }, 0), -1, sample.Source, map);
        }
    }

    [Fact]
    public void TheTrainingPipelineKeepsEveryImageAlignedWithItsMap()
    {
        // Resize (bilinear image, nearest map), crop, flip and pad move both alike: where the map is labelled, the
        // image's first channel still reads the label, except along object borders, where bilinear blends the two sides
        // (at sides of 16–64 pixels the border is about a tenth of an object). A crop or flip applied to one and not the
        // other, or a map shifted by a few pixels, would leave well under 80 % in agreement.
        var maps = new SyntheticImages(new SyntheticImagesOptions { Size = 32, Count = 16, Seed = 3, Segmentation = true });
        var pipeline = SegmentationPresets.Miniature().Augmentation with { PhotoMetric = null };
        var loader = new DataLoader(new MapsAsImages(maps), pipeline.Training(), new DataLoaderOptions { BatchSize = 16, Workers = 2 });
        using var batch = loader.Epoch(0).First();
        using var images = ImageNetNormalization.Denormalize(batch.Images);
        using var read = images.select(1, 0).mul(10).round().to(ScalarType.Int64);
        using var labelled = batch.Segmentation!.ne(SegmentationLabels.Ignore);
        double agree = read.eq(batch.Segmentation).logical_and(labelled).sum().item<long>() / (double)labelled.sum().item<long>();
        Assert.InRange(agree, 0.88, 1.0);
        Assert.True(labelled.logical_not().any().item<bool>(), "some crops are padded with the ignore label");
    }

    [Fact]
    public void ARunWritesItsResultAndASecondCallResumesInsteadOfRetraining()
    {
        var folder = _temp.New("folk-segment-");
        var result = SemanticSegmentation.Run(Tiny, SemanticSegmentation.Random, Data(), folder)!;
        Assert.Equal(("segmentation", "segmentation", "random", "miou", "synthetic"), (result.Protocol, result.Setting, result.Encoder.Method, result.Headline, result.Data));
        Assert.InRange(result.Value, 0, 1);
        Assert.InRange(result.Metrics["pixel_accuracy"], 0, 1);
        Assert.Equal((4.0, 16.0), (result.Metrics["test_images"], result.Metrics["train_images"]));
        Assert.True(result.Metrics.ContainsKey("iou.background"));
        Assert.True(double.IsFinite(result.Metrics["final_loss"]));
        Assert.Equal(11, result.Config["Heads"]!["Classes"]!.GetValue<int>());
        Assert.Equal(result.Metrics["miou"], EvaluationResult.Read(folder).Metrics["miou"]);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "checkpoints")).Length);      // iterations 3 and 6

        var again = SemanticSegmentation.Run(Tiny, SemanticSegmentation.Random, Data(), folder)!;
        Assert.Equal(result.Value, again.Value);
        Assert.Throws<RunFolderMismatchException>(() => SemanticSegmentation.Run(Tiny with { AuxiliaryWeight = 0.2 }, SemanticSegmentation.Random, Data(), folder));
    }

    [Fact]
    public void APretrainedRunIsRecordedAsTheEncoder()
    {
        var fixture = Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", "mfm");
        var folder = _temp.New("folk-segment-");
        var result = SemanticSegmentation.Run(Tiny, fixture, Data(), folder)!;
        Assert.Equal(("mfm", "vit-t", fixture), (result.Encoder.Method, result.Encoder.Model, result.Encoder.Run));
        Assert.Matches("^[0-9a-f]{64}$", result.Encoder.Sha256!);
        Assert.Equal(8, result.Config["PatchSize"]!.GetValue<int>());             // the run's patch, not the recipe's
    }
}
