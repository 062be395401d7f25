using System.Text.Json.Nodes;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Robustness;

namespace Folk.Lab.Tests.Evaluation.Robustness;

public class CorruptionErrorsTests
{
    // Two corruptions, five severities each, and a made-up baseline, computed by hand below.
    static CorruptionErrors Table() => new(0.20, new Dictionary<(CommonCorruption, int), double>
    {
        [(CommonCorruption.GaussianNoise, 1)] = 0.30, [(CommonCorruption.GaussianNoise, 2)] = 0.40, [(CommonCorruption.GaussianNoise, 3)] = 0.50,
        [(CommonCorruption.GaussianNoise, 4)] = 0.60, [(CommonCorruption.GaussianNoise, 5)] = 0.70,
        [(CommonCorruption.Contrast, 1)] = 0.25, [(CommonCorruption.Contrast, 2)] = 0.25, [(CommonCorruption.Contrast, 3)] = 0.30,
        [(CommonCorruption.Contrast, 4)] = 0.35, [(CommonCorruption.Contrast, 5)] = 0.35,
    });

    static readonly CorruptionBaseline Baseline = new("test", 0.40, new Dictionary<CommonCorruption, double>
    {
        [CommonCorruption.GaussianNoise] = 0.80, [CommonCorruption.Contrast] = 0.60,
    });

    [Fact]
    public void CorruptionErrorsFollowHendrycksAndDietterichsDefinitions()
    {
        var t = Table();
        // Σ E = 2.5 and 1.5; the baseline's sums are 5 × 0.8 = 4 and 5 × 0.6 = 3
        Assert.Equal(2.5 / 4.0, t.CorruptionError(CommonCorruption.GaussianNoise, Baseline), 12);
        Assert.Equal(1.5 / 3.0, t.CorruptionError(CommonCorruption.Contrast, Baseline), 12);
        Assert.Equal((0.625 + 0.5) / 2, t.MeanCorruptionError(Baseline), 12);
        // relative: Σ (E − 0.2) = 1.5 and 0.5; baseline Σ (E − 0.4) = 2 and 1
        Assert.Equal(1.5 / 2.0, t.RelativeCorruptionError(CommonCorruption.GaussianNoise, Baseline), 12);
        Assert.Equal(0.5 / 1.0, t.RelativeCorruptionError(CommonCorruption.Contrast, Baseline), 12);
        Assert.Equal((0.75 + 0.5) / 2, t.RelativeMeanCorruptionError(Baseline), 12);
        Assert.Equal(4.0 / 10, t.UnnormalizedMeanError, 12);
        Assert.Equal([CommonCorruption.GaussianNoise, CommonCorruption.Contrast], t.Corruptions);  // the benchmark's order
    }

    [Fact]
    public void AClassifierNormalisedByItselfScoresOneHundredPercent()
    {
        var t = Table();
        var self = CorruptionBaseline.From("self", t);
        Assert.Equal(1.0, t.MeanCorruptionError(self), 12);
        Assert.Equal(1.0, t.RelativeMeanCorruptionError(self), 12);
    }

    [Fact]
    public void AlexNetsPublishedErrorsCoverTheFifteenAndAreAboveItsCleanError()
    {
        var alexnet = CorruptionBaseline.AlexNet;
        Assert.Equal(CommonCorruptions.All.OrderBy(c => c), alexnet.MeanErrors.Keys.OrderBy(c => c));
        Assert.All(alexnet.MeanErrors.Values, e => Assert.InRange(e, alexnet.CleanError, 1));
        Assert.Equal(0.886428, alexnet.MeanErrors[CommonCorruption.GaussianNoise]);
        Assert.Equal(0.606500, alexnet.MeanErrors[CommonCorruption.JpegCompression]);
        // AlexNet's own errors give it an mCE of 100 %, the anchor of every published number
        var own = new CorruptionErrors(alexnet.CleanError, alexnet.MeanErrors.SelectMany(p => Enumerable.Range(1, 5).Select(s => (p.Key, s, p.Value)))
            .ToDictionary(x => (x.Key, x.s), x => x.Value));
        Assert.Equal(1.0, own.MeanCorruptionError(alexnet), 12);
    }

    [Fact]
    public void ACorruptionErrorNeedsAllFiveSeveritiesAndErrorsMustBeFractions()
    {
        var partial = new CorruptionErrors(0.2, new Dictionary<(CommonCorruption, int), double> { [(CommonCorruption.Fog, 1)] = 0.3, [(CommonCorruption.Fog, 3)] = 0.5 });
        Assert.Equal(0.4, partial.MeanError(CommonCorruption.Fog), 12);
        Assert.Contains("severities 1–5", Assert.Throws<InvalidOperationException>(() => partial.CorruptionError(CommonCorruption.Fog, CorruptionBaseline.AlexNet)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CorruptionErrors(1.2, new Dictionary<(CommonCorruption, int), double>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CorruptionErrors(0.2, new Dictionary<(CommonCorruption, int), double> { [(CommonCorruption.Fog, 6)] = 0.3 }));
        Assert.Throws<KeyNotFoundException>(() => partial.Error(CommonCorruption.Fog, 2));
    }

    [Fact]
    public void ARobustnessResultReadsBackAsItsErrorsAndAsABaselineOfItself()
    {
        // the metrics RobustnessEvaluation writes: clean_error, error.{c}.{s} per cell and error.{c} per corruption
        var table = Table();
        var metrics = new Dictionary<string, double> { ["clean_error"] = table.CleanError, ["top1"] = 1 - table.CleanError, ["mean_error"] = table.UnnormalizedMeanError };
        foreach (var c in table.Corruptions)
        {
            metrics[$"error.{c.Name()}"] = table.MeanError(c);
            foreach (var s in table.Severities(c)) metrics[$"error.{c.Name()}.{s}"] = table.Error(c, s);
        }
        var source = new EncoderSource("random", null, null, "random", "vit-t");
        EvaluationResult Result(string protocol, IReadOnlyDictionary<string, double> m) => new(protocol, "corruptions", new JsonObject(), source, "fashion-mnist", 0, m,
            m.ContainsKey("mean_error") ? "mean_error" : "top1", 1, "cpu", new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

        var read = CorruptionErrors.From(Result("robustness", metrics));
        Assert.Equal(table.CleanError, read.CleanError);
        Assert.Equal(table.Corruptions, read.Corruptions);
        foreach (var c in table.Corruptions)
            Assert.Equal(table.Severities(c).Select(s => table.Error(c, s)), read.Severities(c).Select(s => read.Error(c, s)));
        Assert.Equal(0.4, read.UnnormalizedMeanError, 12);
        Assert.Equal(1.0, read.MeanCorruptionError(CorruptionBaseline.From("itself", read)), 12);

        Assert.Throws<InvalidDataException>(() => CorruptionErrors.From(Result("finetune", new Dictionary<string, double> { ["top1"] = 0.5 })));
        Assert.Contains("clean-only", Assert.Throws<InvalidDataException>(() =>
            CorruptionErrors.From(Result("robustness", new Dictionary<string, double> { ["clean_error"] = 0.5, ["top1"] = 0.5 }))).Message);
    }
}
