using Folk.Lab.Data;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Options of N-way K-shot evaluation.</summary>
/// <remarks>Defaults: the 5-way 5-shot, 15 queries per class, 600-episode protocol of the few-shot literature
/// (Vinyals et al., 2016; Snell et al., 2017; the 95 % interval over 600 episodes as Chen et al., 2019 report it).</remarks>
public sealed record FewShotOptions
{
    /// <summary>N, classes per episode.</summary>
    public int Ways { get; init; } = 5;

    /// <summary>K, labelled support images per class.</summary>
    public int Shots { get; init; } = 5;

    /// <summary>Query images per class, scored.</summary>
    public int Queries { get; init; } = 15;

    /// <summary>Episodes averaged.</summary>
    public int Episodes { get; init; } = 600;

    /// <summary>Seed of the episodes.</summary>
    public long Seed { get; init; }

    internal void Validate(int classes)
    {
        Guard.Positive(Shots, nameof(Shots));
        Guard.Positive(Queries, nameof(Queries));
        Guard.Positive(Episodes, nameof(Episodes));
        if (Ways < 2 || Ways > classes)
            throw new ArgumentOutOfRangeException(nameof(Ways), Ways, $"Ways must be in [2, {classes}] (the data has {classes} classes); got {Ways}.");
    }
}

/// <summary>One episode: its classes, and the support and query samples (indices into the evaluated set).</summary>
public sealed record Episode(int[] Classes, int[] Support, int[] Query);

/// <summary>Mean accuracy over episodes, with the half-width of its 95 % confidence interval (1.96 σ / √episodes).</summary>
public sealed record FewShotResult(double Accuracy, double Interval95, int Episodes);

/// <summary>
/// N-way K-shot episodes on frozen features with a prototype classifier (Snell et al., 2017, on a frozen backbone as
/// SimpleShot, Wang et al., 2019, arXiv 1911.04623): each class's prototype is the mean of its K L2-normalised support
/// features, and each query takes the label of the nearest prototype (Euclidean distance on L2-normalised features,
/// SimpleShot's "L2N"). Episodes are class-balanced and a pure function of (seed, episode).
/// </summary>
public static class FewShotEpisodes
{
    /// <summary>Episode <paramref name="episode"/>: N classes drawn without replacement among those with at least
    /// K + queries samples, then K support and Q query samples per class, disjoint.</summary>
    public static Episode Sample(IReadOnlyDictionary<int, List<int>> byClass, FewShotOptions options, int episode)
    {
        int needed = options.Shots + options.Queries;
        var eligible = byClass.Where(c => c.Value.Count >= needed).Select(c => c.Key).OrderBy(c => c).ToArray();
        options.Validate(eligible.Length);
        var random = SampleSeed.Random(options.Seed, episode, 0xe915);
        random.Shuffle(eligible);
        var classes = eligible.Take(options.Ways).OrderBy(c => c).ToArray();
        var support = new List<int>();
        var query = new List<int>();
        foreach (var c in classes)
        {
            var members = byClass[c].ToArray();
            random.Shuffle(members);
            support.AddRange(members.Take(options.Shots));
            query.AddRange(members.Skip(options.Shots).Take(options.Queries));
        }
        return new Episode(classes, support.ToArray(), query.ToArray());
    }

    /// <summary>Runs the episodes on <paramref name="features"/> (all from one evaluated set).</summary>
    public static FewShotResult Evaluate(Features features, FewShotOptions? options = null)
    {
        options ??= new FewShotOptions();
        using var scope = NewDisposeScope();
        var labels = features.Labels.data<long>().ToArray();
        var byClass = labels.Select((label, i) => (label, i)).GroupBy(p => (int)p.label).ToDictionary(g => g.Key, g => g.Select(p => p.i).ToList());
        var normalised = nn.functional.normalize(features.Values.to(ScalarType.Float32), dim: 1);
        var accuracies = new double[options.Episodes];
        for (int e = 0; e < options.Episodes; e++)
        {
            using var episodeScope = NewDisposeScope();
            var episode = Sample(byClass, options, e);
            accuracies[e] = Accuracy(normalised, episode, options);
        }
        double mean = accuracies.Average();
        double std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, accuracies.Length - 1));
        return new FewShotResult(mean, 1.96 * std / Math.Sqrt(accuracies.Length), accuracies.Length);
    }

    /// <summary>Query accuracy of the prototype classifier in one episode (features already L2-normalised).</summary>
    public static double Accuracy(Tensor normalised, Episode episode, FewShotOptions options)
    {
        using var scope = NewDisposeScope();
        int n = episode.Classes.Length, k = options.Shots;
        var support = normalised.index_select(0, tensor(episode.Support.Select(i => (long)i).ToArray()));
        var prototypes = support.view(n, k, -1).mean(new long[] { 1 });                       // N×F, support is grouped by class
        var queries = normalised.index_select(0, tensor(episode.Query.Select(i => (long)i).ToArray()));
        var predicted = cdist(queries, prototypes).argmin(1);                                   // index into episode.Classes
        var truth = tensor(Enumerable.Range(0, n).SelectMany(c => Enumerable.Repeat((long)c, episode.Query.Length / n)).ToArray());
        return predicted.eq(truth).to(ScalarType.Float64).mean().item<double>();
    }
}
