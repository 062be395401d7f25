using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using Folk.Lab.Training;
using Microsoft.Data.Analysis;

namespace Folk.Lab.Interactive.Tests.Views;

public class TableAndTrainingViewTests
{
    [Fact]
    public void DeltasAreColouredByDirectionAndTolerance()
    {
        var table = new ComparisonTable(
        [
            new("top-1", 83.6, 84.0, Tolerance: 0.1),
            new("top-1 worse", 83.6, 82.0),
            new("error", 10.0, 9.0, HigherIsBetter: false),
            new("close", 50.0, 50.05, Tolerance: 0.1),
        ]);
        Assert.Equal([ComparisonTable.Better, ComparisonTable.Worse, ComparisonTable.Better, ComparisonTable.Match],
                     table.Rows.Select(ComparisonTable.ColourOf));
        var html = Bundles.Html(table);
        Assert.Contains($"color:{ComparisonTable.Worse}\">−1.6<", html);
        Assert.Contains($"color:{ComparisonTable.Better}\">+0.4<", html);
        Assert.Equal(4, table.ToDataFrame().Rows.Count);
        Assert.Contains("paper 83.6, ours 84", Bundles.Text(table));
    }

    [Fact]
    public void DataFramesBecomeCleanTables()
    {
        var frame = new DataFrame(new StringDataFrameColumn("mask", ["low", "high", "Com"]),
                                  new DoubleDataFrameColumn("kept", [0.0158, 0.9842, 0.01]));
        var html = Bundles.Html(frame);
        Assert.Contains("<th", html);
        Assert.Contains(">mask<", html);
        Assert.Contains(">0.0158<", html);
        Assert.Equal(3, html.Split("<tr>").Length - 2);     // header row + 3 data rows
        Assert.DoesNotContain("<script", html);
        Assert.StartsWith("mask  kept", Bundles.Text(frame));
        Assert.Contains("… 2 more row(s)", DataFrameTable.ToHtml(frame, maxRows: 1));
    }

    sealed class Recorder : ILiveDisplay
    {
        public List<string> Html { get; } = [];
        public void Update(object? value) => Html.Add(Bundles.Html(value!));
    }

    [Fact]
    public void TheMonitorRedrawsInPlaceThrottledAndEndsWithTheWholeCurve()
    {
        var recorder = new Recorder();
        var monitor = new TrainingMonitor(_ => recorder, TimeSpan.FromHours(1));
        ITrainingCallbacks callbacks = monitor;
        for (int step = 0; step < 50; step++)
            callbacks.OnStep(new StepReport(step, 50, step / 25, 2, new Dictionary<string, double> { ["loss"] = 2.0 / (1 + step) },
                                            1e-3 * (step + 1) / 50, 120.5, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(50 - step)));
        Assert.Equal(2, recorder.Html.Count);             // the first step, then the last: the hour-long interval held the rest back
        var last = System.Net.WebUtility.HtmlDecode(recorder.Html[^1]);
        Assert.Contains("step 50/50 · epoch 2/2", last);
        Assert.Contains("120.5 img/s", last);
        Assert.Contains("done in", last);
        Assert.Contains("width:100.0%", last);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(last, "<polyline").Count);
        Assert.DoesNotContain("<script", last);          // static: shows without JavaScript in the saved notebook
        Assert.Equal(50, System.Text.RegularExpressions.Regex.Match(last, "points=\"([^\"]*)\"").Groups[1].Value.Trim().Split(' ').Length);
        Assert.Contains("step 50/50", monitor.ToString());
    }
}
