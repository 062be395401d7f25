namespace Folk.Lab.Evaluation;

/// <summary>
/// One cell of a <see cref="ResultsTable"/>: the results of one method in one setting (one per seed), summarised as
/// mean ± std over the seeds, and the published number for the same setting where one is known.
/// </summary>
public sealed record ResultsCell
{
    /// <summary>The results merged here, one per seed, in seed order.</summary>
    public IReadOnlyList<EvaluationResult> Results { get; }

    /// <summary>The headline metric they share ("top1").</summary>
    public string Metric { get; }

    /// <summary>True when the metric is an accuracy or an mIoU, shown in percent (the stored fractions × 100).</summary>
    public bool Percent { get; }

    /// <summary>The values as shown (percent for accuracies), in seed order.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>The number of seeds.</summary>
    public int N => Values.Count;

    /// <summary>The mean over the seeds.</summary>
    public double Mean { get; }

    /// <summary>The sample standard deviation over the seeds, √(Σ(x − mean)² / (n − 1)) (numpy's <c>std(ddof=1)</c>,
    /// pandas' <c>std()</c>); NaN for a single seed.</summary>
    public double Std { get; }

    /// <summary>The published number for this method, model, setting and data; null when none is known.</summary>
    public PaperNumber? Paper { get; }

    /// <summary>Ours − the paper's (<see cref="Mean"/> − <see cref="PaperNumber.Value"/>); null without a paper number.</summary>
    public double? Delta => Paper is null ? null : Mean - Paper.Value;

    /// <summary>
    /// Merges <paramref name="results"/> (one method in one setting, one per seed) into a cell.
    /// </summary>
    /// <exception cref="InvalidDataException">They have different headline metrics, or two of them are the same seed of
    /// the same encoder (the same evaluation given twice); the message names both files.</exception>
    public ResultsCell(IEnumerable<EvaluationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.OrderBy(r => r.Seed).ToList();
        if (list.Count == 0) throw new ArgumentException("A cell needs at least one result.", nameof(results));
        var first = list[0];
        foreach (var other in list.Skip(1))
            if (!string.Equals(other.Headline, first.Headline, StringComparison.Ordinal))
                throw new InvalidDataException(
                    $"{Name(first)} reports \"{first.Headline}\" but {Name(other)} reports \"{other.Headline}\" for {first.Encoder.Method} · {first.Setting}: one cell averages one metric; evaluate both with the same protocol.");
        foreach (var group in list.GroupBy(r => (r.Seed, Encoder: r.Encoder.Sha256 ?? r.Encoder.Run)).Where(g => g.Count() > 1))
        {
            var twice = group.Take(2).ToArray();
            throw new InvalidDataException(
                $"{Name(twice[0])} and {Name(twice[1])} are both seed {group.Key.Seed} of the same encoder for {first.Encoder.Method} · {first.Setting}: a table averages over seeds, so give each run folder once (drop one of them).");
        }
        Results = list;
        Metric = first.Headline;
        Percent = IsAccuracy(Metric);
        Values = list.Select(r => Percent ? 100 * r.Value : r.Value).ToList();
        Mean = Values.Average();
        Std = Values.Count < 2 ? double.NaN : Math.Sqrt(Values.Sum(v => (v - Mean) * (v - Mean)) / (Values.Count - 1));
        Paper = PaperNumbers.Find(first);
    }

    /// <summary>True for metric names that are fractions the papers print in percent: accuracies ("top1", "top5",
    /// "accuracy", "pixel_accuracy"), segmentation's mean intersection over union ("miou"), and the robustness errors
    /// ("mce", "relative_mce", "mean_error": ImageNet-C's mCE 51.7 is the fraction 0.517).</summary>
    public static bool IsAccuracy(string metric) =>
        metric.StartsWith("top", StringComparison.OrdinalIgnoreCase) || metric.Equals("accuracy", StringComparison.OrdinalIgnoreCase)
        || metric.Equals("pixel_accuracy", StringComparison.OrdinalIgnoreCase) || metric.Equals("miou", StringComparison.OrdinalIgnoreCase)
        || metric.Equals("mce", StringComparison.OrdinalIgnoreCase) || metric.Equals("relative_mce", StringComparison.OrdinalIgnoreCase)
        || metric.Equals("mean_error", StringComparison.OrdinalIgnoreCase);

    static string Name(EvaluationResult r) => r.SourceFile ?? $"the result of {r.Encoder.Run} (seed {r.Seed})";
}
