using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;

namespace Folk.Lab.Interactive.Tests.Views;

[Collection(nameof(PlotlyPageCollection))]
public class SeriesChartTests
{
    [Fact]
    public void BarsAreGroupedPerCategoryWithTheirErrorBarsAndAReferenceLine()
    {
        var chart = SeriesChart.Bars("5-way episodes", ["1-shot", "5-shot"],
            new ChartSeries("mfm", [0.52, 0.71], [0.011, 0.008]),
            new ChartSeries("random", [0.41, double.NaN])) with { Reference = 0.2, ReferenceLabel = "chance", YTitle = "accuracy" };
        var figure = JsonNode.Parse(chart.ToFigure().ToJson())!;
        var traces = figure["data"]!.AsArray();
        Assert.Equal(["bar", "bar"], traces.Select(t => t!["type"]!.GetValue<string>()));
        Assert.Equal(["1-shot", "5-shot"], traces[0]!["x"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal([0.011, 0.008], traces[0]!["error_y"]!["array"]!.AsArray().Select(e => e!.GetValue<double>()));
        Assert.Null(traces[1]!["error_y"]);
        Assert.Null(traces[1]!["y"]![1]);                                          // NaN: a gap, not invalid JSON
        Assert.Equal("group", figure["layout"]!["barmode"]!.GetValue<string>());
        Assert.Equal("category", figure["layout"]!["xaxis"]!["type"]!.GetValue<string>());           // "1 %" and "10 %" must not become numbers
        Assert.Equal(0.2, figure["layout"]!["shapes"]![0]!["y0"]!.GetValue<double>());
        Assert.Equal("chance", figure["layout"]!["annotations"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("Plotly.newPlot", Bundles.Html(chart));
        Assert.Contains("mfm: 1-shot 0.52 ± 0.011, 5-shot 0.71 ± 0.008", Bundles.Text(chart));
    }

    [Fact]
    public void LinesFollowTheirOwnXValuesAndMismatchedLengthsAreRefused()
    {
        var steps = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var chart = SeriesChart.Lines("fine-tuning loss", [], new ChartSeries("mfm", steps.Select(s => 2.3 - s / 100).ToArray(), X: steps)) with { LogY = true };
        var figure = JsonNode.Parse(chart.ToFigure().ToJson())!;
        var trace = figure["data"]![0]!;
        Assert.Equal(("scatter", "lines"), (trace["type"]!.GetValue<string>(), trace["mode"]!.GetValue<string>()));
        Assert.Equal(99.0, trace["x"]![99]!.GetValue<double>());
        Assert.Equal("log", figure["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        Assert.Null(figure["layout"]!["xaxis"]!["type"]);                                            // numeric x values: a numeric axis
        Assert.Contains("mfm: 100 points, first 2.3, last 1.31", chart.ToString());

        Assert.Throws<ArgumentException>(() => SeriesChart.Bars("t", ["a", "b"], new ChartSeries("s", [1.0])).ToFigure());
        Assert.Throws<ArgumentException>(() => SeriesChart.Bars("t", ["a"], new ChartSeries("s", [1.0], [0.1, 0.2])).ToFigure());
    }
}
