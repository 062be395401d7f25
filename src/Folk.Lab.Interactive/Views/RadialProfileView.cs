using System.Text.Json.Nodes;
using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Charts;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// Radial power profiles on log–log axes (plotly.js), each with its fitted power law <c>P ∝ f^slope</c> dashed and
/// the slope in the legend: natural images sit near slope −2.
/// </summary>
/// <param name="Series">Named profiles, drawn in order.</param>
/// <param name="MinRadius">Smallest radius fitted and drawn (DC, radius 0, has no place on a log axis).</param>
public sealed record RadialProfileView(IReadOnlyList<(string Name, RadialProfile Profile)> Series, double MinRadius = 1)
{
    static readonly string[] Colours = ["#6a1b9a", "#e65100", "#00838f", "#558b2f", "#ad1457"];

    /// <summary>One profile.</summary>
    public static RadialProfileView Of(RadialProfile profile, string name = "images") => new([(name, profile)]);

    /// <summary>Several profiles to compare (original vs filtered, say).</summary>
    public static RadialProfileView Of(params (string Name, RadialProfile Profile)[] series) => new(series);

    /// <summary>The fitted power law of each series.</summary>
    public IReadOnlyList<PowerLaw> Fits => Series.Select(s => s.Profile.FitPowerLaw(MinRadius)).ToList();

    /// <summary>The chart.</summary>
    public PlotlyFigure ToFigure()
    {
        var data = new JsonArray();
        for (int i = 0; i < Series.Count; i++)
        {
            var (name, profile) = Series[i];
            var fit = profile.FitPowerLaw(MinRadius);
            var power = profile.MeanPower();
            var keep = Enumerable.Range(0, profile.Radii.Length).Where(r => profile.Radii[r] >= MinRadius && power[r] > 0).ToArray();
            var x = new JsonArray(keep.Select(r => (JsonNode)profile.Radii[r]).ToArray());
            string colour = Colours[i % Colours.Length];
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = name, ["x"] = x,
                ["y"] = new JsonArray(keep.Select(r => (JsonNode)power[r]).ToArray()),
                ["line"] = new JsonObject { ["color"] = colour, ["width"] = 2 },
            });
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = $"{name} fit: slope {fit.Slope:F2} (R² {fit.RSquared:F3})",
                ["x"] = x.DeepClone(), ["y"] = new JsonArray(keep.Select(r => (JsonNode)fit.Evaluate(profile.Radii[r])).ToArray()),
                ["line"] = new JsonObject { ["color"] = colour, ["width"] = 1.5, ["dash"] = "dash" },
            });
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = "Radial power spectrum" },
            ["xaxis"] = new JsonObject { ["type"] = "log", ["title"] = new JsonObject { ["text"] = "frequency (cycles per image)" } },
            ["yaxis"] = new JsonObject { ["type"] = "log", ["title"] = new JsonObject { ["text"] = "mean power |X|²" }, ["exponentformat"] = "power" },
            ["legend"] = new JsonObject { ["x"] = 0.02, ["y"] = 0.02, ["bgcolor"] = "rgba(255,255,255,0.7)" },
            ["margin"] = new JsonObject { ["l"] = 70, ["r"] = 20, ["t"] = 50, ["b"] = 55 },
        };
        return new PlotlyFigure(data, layout, 640, 420);
    }

    /// <summary>The chart's HTML.</summary>
    public string ToHtml() => ToFigure().ToHtml();

    /// <inheritdoc/>
    public override string ToString() =>
        "RadialProfileView: " + string.Join("; ", Series.Select(s => $"{s.Name}: slope {s.Profile.FitPowerLaw(MinRadius).Slope:F2}"));
}
