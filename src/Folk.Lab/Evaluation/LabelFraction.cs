using Folk.Lab.Data;

namespace Folk.Lab.Evaluation;

/// <summary>
/// The labelled part of a semi-supervised protocol: a seeded, class-balanced fraction of a training set (FOLK §4 and
/// MFM's few-shot rows fine-tune with 1 % and 10 % of ImageNet's labels; on ImageNet itself the fixed SimCLR lists of
/// the imagenet-1k-1pct / -10pct manifests are the standard, and this draws the same kind of subset for any data set).
/// </summary>
/// <remarks>Each class keeps <c>max(1, round(fraction × its count))</c> images, drawn without replacement by a
/// seeded shuffle of that class's indices; the subset lists them in source order. Labels are read with
/// <see cref="IImageDataset.LabelOf"/>, so no image is decoded.</remarks>
public static class LabelFraction
{
    /// <summary>The indices of a class-balanced <paramref name="fraction"/> of <paramref name="dataset"/>, seeded by
    /// <paramref name="seed"/>.</summary>
    public static int[] ClassBalanced(IImageDataset dataset, double fraction, long seed)
    {
        if (!(fraction > 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"The label fraction must be in (0, 1] (0.01 for 1 %); got {fraction}.");
        var byClass = ByClass(dataset);
        var random = SampleSeed.Random(seed, 0x1abe1);
        var chosen = new List<int>();
        foreach (var (_, indices) in byClass.OrderBy(c => c.Key))
        {
            int keep = Math.Max(1, (int)Math.Round(fraction * indices.Count, MidpointRounding.AwayFromZero));
            var shuffled = indices.ToArray();
            random.Shuffle(shuffled);
            chosen.AddRange(shuffled.Take(keep));
        }
        chosen.Sort();
        return chosen.ToArray();
    }

    /// <summary>The subset itself (see <see cref="ClassBalanced"/>).</summary>
    public static DatasetSubset Of(IImageDataset dataset, double fraction, long seed) => new(dataset, ClassBalanced(dataset, fraction, seed));

    /// <summary>Every index of <paramref name="dataset"/>, grouped by label (unlabelled samples refused).</summary>
    public static Dictionary<int, List<int>> ByClass(IImageDataset dataset)
    {
        var byClass = new Dictionary<int, List<int>>();
        for (int i = 0; i < dataset.Count; i++)
        {
            int label = dataset.LabelOf(i);
            if (label < 0) throw new ArgumentException($"Sample {i} has no label (−1): a label fraction needs a labelled data set.", nameof(dataset));
            if (!byClass.TryGetValue(label, out var list)) byClass[label] = list = new List<int>();
            list.Add(i);
        }
        return byClass;
    }
}
