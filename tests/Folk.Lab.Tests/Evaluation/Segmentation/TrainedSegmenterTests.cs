using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Segmentation;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation.Segmentation;

[Collection(GlobalRngCollection.Name)]
public class TrainedSegmenterTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static SegmentationData Data() => TinySegmentation.Data();

    static SegmentationRecipe Tiny => TinySegmentation.Recipe;

    [Fact]
    public void AReopenedRunScoresExactlyWhatTheRunRecordedAndPredictsEveryPixel()
    {
        var folder = _temp.New("folk-segmenter-");
        var data = Data();
        var result = SemanticSegmentation.Run(Tiny, SemanticSegmentation.Random, data, folder)!;

        using var segmenter = TrainedSegmenter.Open(folder);
        Assert.Equal((11, "random", 16, 4), (segmenter.Classes, segmenter.Encoder.Method, segmenter.Recipe.ImageSize, segmenter.Recipe.PatchSize));
        var tiny = Tiny;
        Assert.Equal(tiny.Heads with { Classes = 11 }, segmenter.Recipe.Heads with { PoolScales = tiny.Heads.PoolScales });
        Assert.Equal(tiny.Heads.PoolScales, segmenter.Recipe.Heads.PoolScales);
        Assert.Equal(tiny.Inference, segmenter.Recipe.Inference);
        Assert.Equal(tiny.Augmentation.Scale, segmenter.Recipe.Augmentation.Scale);
        Assert.False(segmenter.Model.training);

        // the weights, the test pipeline and the inference read back from the folder give the run's own score
        var score = segmenter.Evaluate(data.Test, workers: 1);
        Assert.Equal(result.Metrics["miou"], score.MeanIoU, 12);
        Assert.Equal(result.Metrics["pixel_accuracy"], score.PixelAccuracy, 12);

        // one image's map is the arg-max of its logits over the classes, pixel for pixel at the image's size
        using var sample = data.Test.Get(0);
        using var logits = segmenter.Logits(sample.Image);
        using var map = segmenter.Predict(sample.Image);
        Assert.Equal(new long[] { 11, 16, 16 }, logits.shape);
        Assert.Equal(new long[] { 16, 16 }, map.shape);
        Assert.True(map.eq(logits.argmax(0)).all().item<bool>());
        // and it is the map the evaluation scores: the image alone through Evaluate gives its pixel accuracy
        var truth = sample.Segmentation!;
        double correct = map.eq(truth).sum().item<long>(), labelled = truth.ne(SegmentationLabels.Ignore).sum().item<long>();
        var alone = segmenter.Evaluate(new Folk.Lab.Data.DatasetSubset(data.Test, [0]), workers: 1);
        Assert.Equal(correct / labelled, alone.PixelAccuracy, 12);
    }

    [Fact]
    public void AFolderThatIsNotASegmentationRunIsRefusedByName()
    {
        var empty = _temp.New("folk-segmenter-");
        Assert.Contains("not a segmentation run folder", Assert.Throws<FileNotFoundException>(() => TrainedSegmenter.Open(empty)).Message);
        var pretraining = Path.Combine(RepositoryRoot.Path, "tests", "Folk.Lab.Tests", "Fixtures", "runs-v0", "mfm");
        Assert.Contains("not a segmentation run", Assert.Throws<InvalidDataException>(() => TrainedSegmenter.Open(pretraining)).Message);
    }
}
