using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Experiments;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Experiments;

[Collection(GlobalRngCollection.Name)]
public sealed class SeriesMiniatureTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-series-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheDataAreASeededClassBalancedSubsetNamedByItsSize()
    {
        var data = SeriesMiniature.Data("synthetic", train: 120, test: 60);
        Assert.Equal("synthetic 120/60", data.Name);
        Assert.Equal(120, data.Train.Count);
        var again = SeriesMiniature.Data("synthetic", train: 120, test: 60);
        Assert.Equal(Enumerable.Range(0, 120).Select(data.Train.LabelOf), Enumerable.Range(0, 120).Select(again.Train.LabelOf));
    }

    [Theory]
    [InlineData(SeriesProtocol.Finetune, 64, 10)]            // 2,048 images: 32 steps an epoch, the preset's 10 epochs
    [InlineData(SeriesProtocol.FinetuneTenPercent, 32, 17)]  // 205 images (≈ 10 %): 6 steps an epoch → ⌈100 / 6⌉ epochs
    [InlineData(SeriesProtocol.FinetuneOnePercent, 8, 50)]   // 20 images, two per class: batch 8, 2 steps an epoch
    public void FineTuningIsSizedToTheLabelsLeft(SeriesProtocol protocol, int batch, int epochs)
    {
        var data = new LabelledData(new CountOnly(2048), new CountOnly(10), "x", 10);
        var recipe = SeriesMiniature.FinetuningFor(protocol, data);
        Assert.Equal(batch, recipe.BatchSize);
        Assert.Equal(epochs, recipe.Trainer.Epochs);
        Assert.Equal(SeriesMiniature.Depth, recipe.Depth);
        var standard = SeriesMiniature.Finetuning();                                       // batch 64
        Assert.Equal(standard.Trainer.BaseLearningRate * standard.BatchSize / 512, recipe.Trainer.BaseLearningRate * recipe.BatchSize / 512, 12);   // batch 64's rate
    }

    [Fact]
    public void AnEvaluationIsCachedUnderItsCanonicalNameAndPreTrainsTheSharedRunOnce()
    {
        var cache = new RunCache(_root);
        var data = SeriesMiniature.Data("synthetic", train: 64, test: 40);
        var knn = SeriesMiniature.Evaluate(SeriesProtocol.Knn, "mfm", data, seed: 1, cache: cache);
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(_root, "eval", "synthetic-64-40", "knn")));
        Assert.Matches("^mfm-s1-[0-9a-f]{8}$", Path.GetFileName(folder));                    // encoder, seed, digest of the settings
        Assert.True(File.Exists(Path.Combine(folder, EvaluationResult.FileName)));
        Assert.Equal("mfm", knn.Encoder.Method);
        Assert.Equal(SeriesMiniature.Pretrained("mfm", data, cache), knn.Encoder.Run);
        Assert.Single(Directory.GetDirectories(Path.Combine(_root, "pretrain")));

        var linear = SeriesMiniature.Evaluate(SeriesProtocol.Linear, "mfm", data, seed: 1, cache: cache);
        Assert.Equal(knn.Encoder.Sha256, linear.Encoder.Sha256);                                   // the same checkpoint
        Assert.Single(Directory.GetDirectories(Path.Combine(_root, "pretrain")));
        Assert.Equal(knn.Date, SeriesMiniature.Evaluate(SeriesProtocol.Knn, "mfm", data, seed: 1, cache: cache).Date);   // read back
        var random = SeriesMiniature.Evaluate(SeriesProtocol.Knn, "random", data, seed: 1, cache: cache);
        Assert.Equal("random", random.Encoder.Run);

        var table = ResultsTable.Build(cache.Results());
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(2, table.Columns.Count);
    }

    sealed class CountOnly(int count) : Folk.Lab.Data.IImageDataset
    {
        public int Count => count;
        public IReadOnlyList<string> Classes { get; } = Enumerable.Range(0, 10).Select(i => $"c{i}").ToList();
        public Folk.Lab.Data.ImageSample Get(int index) => throw new NotSupportedException();
        public int LabelOf(int index) => index % 10;
    }
}
