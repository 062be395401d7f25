using System.Text.Json.Nodes;
using Folk.Lab.Evaluation.Robustness;
using Folk.Lab.Interactive.Charts;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// How each method's own pre-training loss grows as its input is degraded (<see cref="DegradationLoss"/>, FOLK's
/// robustness analysis): the loss relative to the method's clean loss against the severity, averaged over the
/// corruptions (bold), with one thin line per corruption family, a panel per method being hard to compare. Relative,
/// because the methods' losses are on different scales (MFM's frequency loss, FOLK's sum with distillation).
/// </summary>
/// <param name="Curves">Per method, its points (the clean one and each corruption at each severity).</param>
public sealed record DegradationCurves(IReadOnlyList<(string Method, IReadOnlyList<DegradationPoint> Points)> Curves)
{
    static readonly string[] Colours = ["#6a1b9a", "#e65100", "#00838f", "#558b2f", "#ad1457", "#37474f"];

    /// <summary>Several methods' curves.</summary>
    public static DegradationCurves Of(params (string Method, IReadOnlyList<DegradationPoint> Points)[] curves) => new(curves);

    /// <summary>Reads curve.json files written by <c>folk-lab eval degradation</c>, labelled by their method.</summary>
    public static DegradationCurves Read(params string[] curveFiles) => new(curveFiles.Select(path =>
    {
        var node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty.");
        var points = node["points"]!.AsArray().Select(p => new DegradationPoint(p!["corruption"]!.GetValue<string>(), p["severity"]!.GetValue<int>(),
            p["loss"]!.GetValue<double>(), p["images"]!.GetValue<int>())).ToList();
        return (node["method"]!.GetValue<string>(), (IReadOnlyList<DegradationPoint>)points);
    }).ToList());

    /// <summary>Per method and severity (0 = clean), the mean over corruptions of loss ÷ clean loss.</summary>
    public IReadOnlyList<(string Method, IReadOnlyList<(int Severity, double Ratio)> Mean)> MeanRatios() => Curves.Select(c =>
    {
        double clean = Clean(c.Points);
        var mean = c.Points.GroupBy(p => p.Severity).OrderBy(g => g.Key).Select(g => (g.Key, g.Average(p => p.Loss) / clean)).ToList();
        return (c.Method, (IReadOnlyList<(int, double)>)mean);
    }).ToList();

    /// <summary>The chart.</summary>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray();
        var means = MeanRatios();
        for (int i = 0; i < Curves.Count; i++)
        {
            var (method, points) = Curves[i];
            string colour = Colours[i % Colours.Length];
            double clean = Clean(points);
            foreach (var family in Enum.GetValues<Folk.Lab.Corruptions.Common.CorruptionFamily>())
            {
                var members = points.Where(p => p.Severity > 0 && Folk.Lab.Corruptions.Common.CommonCorruptions.FamilyOf(Folk.Lab.Corruptions.Common.CommonCorruptions.Parse(p.Corruption)) == family).ToList();
                if (members.Count == 0) continue;
                var bySeverity = members.GroupBy(p => p.Severity).OrderBy(g => g.Key).ToList();
                data.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "lines", ["name"] = $"{method}: {family.ToString().ToLowerInvariant()}", ["legendgroup"] = method,
                    ["x"] = new JsonArray(new JsonNode[] { 0 }.Concat(bySeverity.Select(g => (JsonNode)g.Key)).ToArray()),
                    ["y"] = new JsonArray(new JsonNode[] { 1.0 }.Concat(bySeverity.Select(g => (JsonNode)(g.Average(p => p.Loss) / clean))).ToArray()),
                    ["line"] = new JsonObject { ["color"] = colour, ["width"] = 1, ["dash"] = "dot" }, ["opacity"] = 0.6,
                });
            }
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = $"{method}: all corruptions", ["legendgroup"] = method,
                ["x"] = new JsonArray(means[i].Mean.Select(m => (JsonNode)m.Severity).ToArray()),
                ["y"] = new JsonArray(means[i].Mean.Select(m => (JsonNode)m.Ratio).ToArray()),
                ["line"] = new JsonObject { ["color"] = colour, ["width"] = 3 },
            });
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = "Pre-training loss under ImageNet-C corruptions" },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "severity (0 = clean)" }, ["dtick"] = 1 },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "loss ÷ clean loss" } },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 55 },
        };
        return new PlotlyFigure(data, layout, 720, 440);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <inheritdoc/>
    public override string ToString() => "DegradationCurves: " + string.Join("; ", MeanRatios().Select(m =>
        $"{m.Method} ×{m.Mean[^1].Ratio:F2} at severity {m.Mean[^1].Severity}"));

    static double Clean(IReadOnlyList<DegradationPoint> points) =>
        points.FirstOrDefault(p => p.Severity == 0)?.Loss is { } loss && loss > 0 ? loss
        : throw new ArgumentException("A degradation curve needs its clean point (severity 0) with a positive loss.");
}
