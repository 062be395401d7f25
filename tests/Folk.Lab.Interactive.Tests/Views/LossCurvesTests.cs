using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using Folk.Lab.Training;

namespace Folk.Lab.Interactive.Tests.Views;

[Collection(nameof(PlotlyPageCollection))]
public sealed class LossCurvesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-curves-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Run(string name, params (double Loss, double High)[] steps)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        var log = new MetricsLog(folder);
        for (int i = 0; i < steps.Length; i++)
            log.Append(new StepReport(10 * i, 10 * steps.Length, 0, 1, new Dictionary<string, double> { ["loss"] = steps[i].Loss, ["loss_high"] = steps[i].High },
                1e-3, 1, TimeSpan.Zero, TimeSpan.Zero));
        return folder;
    }

    [Fact]
    public void EachRunAndTermIsOneLineWithItsLoggedStepsAndGapsWhereUndefined()
    {
        var curves = LossCurves.FromRuns([("a", Run("a", (2.0, 3.0), (1.5, double.NaN))), ("b", Run("b", (4.0, 1.0)))], "loss", "loss_high", "loss_low");
        Assert.Equal(new[] { "a: loss", "a: loss_high", "b: loss", "b: loss_high" }, curves.Curves.Select(c => c.Name));
        Assert.Equal(new[] { 0.0, 10 }, curves.Curves[0].Steps);
        Assert.Equal(new[] { 2.0, 1.5 }, curves.Curves[0].Values);

        var figure = curves.ToFigure();
        Assert.Equal(4, figure.Data.Count);
        Assert.Null(figure.Data[1]!["y"]![1]);                                 // NaN is a gap, not a point
        Assert.Contains("Plotly.newPlot", Bundles.Html(curves));                // drawn, whether or not this page already has plotly.js
        Assert.Contains("a: loss → 1.5 at iteration 10", curves.ToString());
    }
}
