using System.Globalization;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Training;

namespace Folk.Lab.Interactive.Views;

/// <summary>One curve: a name and its points.</summary>
/// <param name="Name">The legend entry ("lambda-0: loss").</param>
/// <param name="Steps">Iterations.</param>
/// <param name="Values">The term's value at each iteration (NaN where it was not defined).</param>
public sealed record LossCurve(string Name, IReadOnlyList<double> Steps, IReadOnlyList<double> Values);

/// <summary>
/// Loss terms of finished runs as line charts: each run folder's <c>metrics.jsonl</c> (<see cref="MetricsLog"/>),
/// one line per run and term, against the iteration. The live counterpart, during a run, is <see cref="TrainingMonitor"/>.
/// </summary>
/// <param name="Curves">The curves.</param>
/// <param name="Title">The chart's title.</param>
public sealed record LossCurves(IReadOnlyList<LossCurve> Curves, string Title = "Training loss")
{
    /// <summary>The terms <paramref name="terms"/> (default "loss") of each named run folder; a term a run did not log
    /// gives no curve.</summary>
    public static LossCurves FromRuns(IEnumerable<(string Name, string Folder)> runs, params string[] terms)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (terms.Length == 0) terms = ["loss"];
        var curves = new List<LossCurve>();
        foreach (var (name, folder) in runs)
        {
            var log = new MetricsLog(folder);
            foreach (var term in terms)
            {
                var points = log.Points(term);
                if (points.Count == 0) continue;
                curves.Add(new LossCurve(terms.Length == 1 ? name : $"{name}: {term}", points.Select(p => (double)p.Step).ToList(), points.Select(p => p.Value).ToList()));
            }
        }
        return new LossCurves(curves);
    }

    /// <summary>The chart: one line per curve against the iteration (<see cref="SeriesChart"/>).</summary>
    public PlotlyFigure ToFigure() =>
        (SeriesChart.Lines(Title, [], Curves.Select(c => new ChartSeries(c.Name, c.Values, X: c.Steps)).ToArray())
            with { XTitle = "iteration", YTitle = "loss" }).ToFigure();

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <inheritdoc/>
    public override string ToString() => $"{Title}: " + string.Join("; ", Curves.Select(c =>
        c.Values.LastOrDefault(double.IsFinite) is var last && c.Values.Any(double.IsFinite)
            ? $"{c.Name} → {last.ToString("G4", CultureInfo.InvariantCulture)} at iteration {c.Steps[^1]}" : $"{c.Name}: no finite value"));
}
