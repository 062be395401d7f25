using System.Globalization;
using System.Text.Json.Nodes;
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
            var entries = new MetricsLog(folder).Read();
            foreach (var term in terms)
            {
                var points = entries.Where(e => e.TryGetProperty(term, out _)).ToList();
                if (points.Count == 0) continue;
                var log = new MetricsLog(folder);
                curves.Add(new LossCurve(terms.Length == 1 ? name : $"{name}: {term}",
                    points.Select(e => (double)e.GetProperty("step").GetInt64()).ToList(), log.Series(term)));
            }
        }
        return new LossCurves(curves);
    }

    /// <summary>The chart.</summary>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray(Curves.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = c.Name,
            ["x"] = new JsonArray(c.Steps.Select(s => (JsonNode)s).ToArray()),
            ["y"] = new JsonArray(c.Values.Select(v => double.IsFinite(v) ? (JsonNode)v : null).ToArray()),
        }).ToArray());
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "iteration" } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "loss" } },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 50 },
        };
        return new PlotlyFigure(data, layout, 760, 420);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <inheritdoc/>
    public override string ToString() => $"{Title}: " + string.Join("; ", Curves.Select(c =>
        c.Values.LastOrDefault(double.IsFinite) is var last && c.Values.Any(double.IsFinite)
            ? $"{c.Name} → {last.ToString("G4", CultureInfo.InvariantCulture)} at iteration {c.Steps[^1]}" : $"{c.Name}: no finite value"));
}
