using Folk.Lab.Data;
using Folk.Lab.Evaluation;

namespace Folk.Lab.Tests.Evaluation;

public class LabelFractionTests
{
    /// <summary>Labels only: a dataset whose images are never decoded (Get throws), so the test also shows that
    /// drawing a fraction reads no pixels.</summary>
    sealed class LabelsOnly(int[] labels) : IImageDataset
    {
        public int Count => labels.Length;
        public IReadOnlyList<string> Classes => labels.Distinct().Select(l => l.ToString()).ToList();
        public ImageSample Get(int index) => throw new InvalidOperationException("a label fraction must not decode images");
        public int LabelOf(int index) => labels[index];
    }

    [Fact]
    public void EachClassKeepsItsShareSeededWithoutDecoding()
    {
        // unbalanced: class 0 has 500 images, class 1 300, class 2 200
        var labels = Enumerable.Repeat(0, 500).Concat(Enumerable.Repeat(1, 300)).Concat(Enumerable.Repeat(2, 200)).ToArray();
        var random = new Random(5);
        random.Shuffle(labels);
        var data = new LabelsOnly(labels);
        var chosen = LabelFraction.ClassBalanced(data, 0.1, seed: 7);
        Assert.Equal(new[] { 50, 30, 20 }, chosen.GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(chosen.Distinct().Count(), chosen.Length);
        Assert.Equal(chosen.Order(), chosen);                                        // source order
        Assert.Equal(chosen, LabelFraction.ClassBalanced(data, 0.1, seed: 7));
        Assert.NotEqual(chosen, LabelFraction.ClassBalanced(data, 0.1, seed: 8));
        // 1 % of 200 is 2; a class never vanishes: 0.1 % keeps one of each
        Assert.Equal(new[] { 5, 3, 2 }, LabelFraction.ClassBalanced(data, 0.01, 0).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(new[] { 1, 1, 1 }, LabelFraction.ClassBalanced(data, 0.001, 0).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(1000, LabelFraction.ClassBalanced(data, 1, 0).Length);
    }

    [Fact]
    public void BadFractionsAndUnlabelledDataAreRefused()
    {
        var data = new LabelsOnly(new[] { 0, 1, -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelFraction.ClassBalanced(data, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelFraction.ClassBalanced(data, 1.5, 0));
        var e = Assert.Throws<ArgumentException>(() => LabelFraction.ClassBalanced(data, 0.5, 0));
        Assert.Contains("Sample 2", e.Message);
    }

    [Fact]
    public void TheSubsetReadsThroughToItsSource()
    {
        var synthetic = new SyntheticImages(new SyntheticImagesOptions { Size = 16, Count = 100, Seed = 3 });
        var subset = LabelFraction.Of(synthetic, 0.2, seed: 1);
        Assert.Equal(20, subset.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(2, Enumerable.Range(0, subset.Count).Count(i => subset.LabelOf(i) == c)));
        using var viaSubset = subset.Get(4);
        using var direct = synthetic.Get(subset.Indices[4]);
        Assert.Equal(direct.Label, viaSubset.Label);
        Assert.True(direct.Image.eq(viaSubset.Image).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetSubset(synthetic, new[] { 100 }));
    }
}
