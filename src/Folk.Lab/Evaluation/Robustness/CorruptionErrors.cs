using Folk.Lab.Corruptions.Common;

namespace Folk.Lab.Evaluation.Robustness;

/// <summary>
/// A classifier's top-1 errors under corruption, and the summaries of Hendrycks &amp; Dietterich (ICLR 2019,
/// arXiv 1903.12261, §4.1): with E(c, s) the error under corruption c at severity s and E the clean error,
/// <list type="bullet">
/// <item>the corruption error CE(c) = Σₛ E(c, s) / Σₛ E_base(c, s), and mCE its mean over the corruptions;</item>
/// <item>the relative corruption error Σₛ (E(c, s) − E) / Σₛ (E_base(c, s) − E_base), and the relative mCE;</item>
/// <item>the unnormalised mean error, the mean of E(c, s) over every corruption and severity (ImageNet-C's
/// <c>test.py</c> prints it as "mCE (unnormalized by AlexNet errors)").</item>
/// </list>
/// The baseline's errors are means over the five severities, so its sums are five times them; every severity 1–5 must
/// be present for a normalised score.
/// </summary>
public sealed class CorruptionErrors
{
    readonly Dictionary<(CommonCorruption, int), double> _errors;

    /// <summary>Top-1 error on the clean images.</summary>
    public double CleanError { get; }

    /// <summary>The corruptions measured, in the benchmark's order.</summary>
    public IReadOnlyList<CommonCorruption> Corruptions { get; }

    /// <summary>Creates the table; every error must lie in [0, 1].</summary>
    public CorruptionErrors(double cleanError, IReadOnlyDictionary<(CommonCorruption Corruption, int Severity), double> errors)
    {
        CheckError(cleanError, "the clean error");
        foreach (var ((c, s), e) in errors)
        {
            if (s is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(errors), s, $"{c.Name()}: severities run from 1 to 5.");
            CheckError(e, $"{c.Name()} at severity {s}");
        }
        CleanError = cleanError;
        _errors = errors.ToDictionary(p => p.Key, p => p.Value);
        Corruptions = CommonCorruptions.All.Where(c => _errors.Keys.Any(k => k.Item1 == c)).ToArray();
    }

    /// <summary>
    /// The errors a robustness evaluation recorded in its <c>result.json</c> (<see cref="RobustnessEvaluation"/>: the
    /// metrics <c>clean_error</c> and <c>error.{corruption}.{severity}</c>), e.g. to compare two classifiers or to make
    /// one the other's <see cref="CorruptionBaseline"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The result is not a robustness evaluation under corruptions.</exception>
    public static CorruptionErrors From(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Protocol != "robustness" || !result.Metrics.TryGetValue("clean_error", out var clean))
            throw new InvalidDataException($"Not a robustness evaluation (protocol {result.Protocol}, no clean_error): read the result.json of folk-lab eval robustness.");
        var errors = new Dictionary<(CommonCorruption, int), double>();
        foreach (var c in CommonCorruptions.All)
            for (int s = 1; s <= 5; s++)
                if (result.Metrics.TryGetValue($"error.{c.Name()}.{s}", out var e)) errors[(c, s)] = e;
        if (errors.Count == 0)
            throw new InvalidDataException("The robustness evaluation measured no corruption (a clean-only run: ImageNet-A, -R or -Sketch).");
        return new CorruptionErrors(clean, errors);
    }

    /// <summary>E(c, s).</summary>
    public double Error(CommonCorruption corruption, int severity) =>
        _errors.TryGetValue((corruption, severity), out var e) ? e
        : throw new KeyNotFoundException($"{corruption.Name()} was not measured at severity {severity}.");

    /// <summary>The severities measured for <paramref name="corruption"/>, ascending.</summary>
    public IReadOnlyList<int> Severities(CommonCorruption corruption) =>
        _errors.Keys.Where(k => k.Item1 == corruption).Select(k => k.Item2).Order().ToArray();

    /// <summary>E(c, s) averaged over the severities measured.</summary>
    public double MeanError(CommonCorruption corruption)
    {
        var severities = Severities(corruption);
        if (severities.Count == 0) throw new KeyNotFoundException($"{corruption.Name()} was not measured.");
        return severities.Average(s => Error(corruption, s));
    }

    /// <summary>The mean of E(c, s) over every corruption and severity measured.</summary>
    public double UnnormalizedMeanError => _errors.Values.Average();

    /// <summary>CE(c) against <paramref name="baseline"/>.</summary>
    public double CorruptionError(CommonCorruption corruption, CorruptionBaseline baseline)
    {
        RequireAllSeverities(corruption);
        return MeanError(corruption) / BaselineError(corruption, baseline);
    }

    /// <summary>The relative CE(c) against <paramref name="baseline"/>.</summary>
    public double RelativeCorruptionError(CommonCorruption corruption, CorruptionBaseline baseline)
    {
        RequireAllSeverities(corruption);
        double denominator = BaselineError(corruption, baseline) - baseline.CleanError;
        if (denominator <= 0)
            throw new InvalidOperationException($"{baseline.Name} is no worse on {corruption.Name()} than on clean images: its relative error is undefined.");
        return (MeanError(corruption) - CleanError) / denominator;
    }

    /// <summary>mCE: CE(c) averaged over the corruptions measured.</summary>
    public double MeanCorruptionError(CorruptionBaseline baseline) => Corruptions.Average(c => CorruptionError(c, baseline));

    /// <summary>The relative mCE.</summary>
    public double RelativeMeanCorruptionError(CorruptionBaseline baseline) => Corruptions.Average(c => RelativeCorruptionError(c, baseline));

    void RequireAllSeverities(CommonCorruption corruption)
    {
        if (!Severities(corruption).SequenceEqual([1, 2, 3, 4, 5]))
            throw new InvalidOperationException($"A corruption error sums severities 1–5; {corruption.Name()} has {string.Join(", ", Severities(corruption))}.");
    }

    static double BaselineError(CommonCorruption corruption, CorruptionBaseline baseline) =>
        baseline.MeanErrors.TryGetValue(corruption, out var e) && e > 0 ? e
        : throw new KeyNotFoundException($"{baseline.Name} has no error for {corruption.Name()}.");

    static void CheckError(double e, string what)
    {
        if (!(e >= 0 && e <= 1)) throw new ArgumentOutOfRangeException(nameof(e), e, $"{what}: a top-1 error lies in [0, 1].");
    }
}
