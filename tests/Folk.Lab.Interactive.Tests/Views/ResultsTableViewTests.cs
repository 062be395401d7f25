using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;
using Microsoft.Data.Analysis;

namespace Folk.Lab.Interactive.Tests.Views;

[Collection(nameof(PlotlyPageCollection))]
public class ResultsTableViewTests
{
    static EvaluationResult Result(string method, string setting, long seed, double top1) =>
        new("finetune", setting, new JsonObject { ["epochs"] = 100 },
            new EncoderSource(method == "random" ? "random" : $"runs/{method}", null, null, method, "vit-b"),
            "imagenet-1k", seed, new Dictionary<string, double> { ["top1"] = top1 }, "top1", 1, "cpu",
            new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

    static ResultsTable Table() => ResultsTable.Build(new[]
    {
        Result("mfm", "fine-tune", 0, 0.830), Result("mfm", "fine-tune", 1, 0.834), Result("mfm", "k-NN", 0, 0.41),
        Result("random", "fine-tune", 0, 0.70),
    }, PaperLayout.Mfm);

    [Fact]
    public void TheDataFrameHoldsMeansStdsCountsPaperAndDeltaWithMissingCellsNull()
    {
        DataFrame frame = Table().ToDataFrame();
        Assert.Equal(new[] { "row", "method", "model", "Top-1 acc (%)", "Top-1 acc (%) std", "Top-1 acc (%) n", "Top-1 acc (%) paper", "Top-1 acc (%) Δ",
                             "k-NN top-1 (%)", "k-NN top-1 (%) std", "k-NN top-1 (%) n" }, frame.Columns.Select(c => c.Name));
        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal(new object[] { "MFM", "Random init" }, new[] { frame["row"][0], frame["row"][1] });
        Assert.Equal(83.2, (double)frame["Top-1 acc (%)"][0]!, 9);
        Assert.Equal(Math.Sqrt(0.08), (double)frame["Top-1 acc (%) std"][0]!, 9);          // (83.0, 83.4): √((0.2² + 0.2²) / 1)
        Assert.Equal(2, frame["Top-1 acc (%) n"][0]);
        Assert.Equal(83.1, frame["Top-1 acc (%) paper"][0]);
        Assert.Equal(0.1, (double)frame["Top-1 acc (%) Δ"][0]!, 9);
        Assert.Null(frame["Top-1 acc (%) std"][1]);                                            // one seed: no std
        Assert.Null(frame["Top-1 acc (%) paper"][1]);                                          // no published random-init number
        Assert.Null(frame["k-NN top-1 (%)"][1]);                                               // random init was not probed
        Assert.Equal(1L, frame["k-NN top-1 (%)"].NullCount);
    }

    [Fact]
    public void TheViewAndTheTableRenderWithColouredDeltaAndSources()
    {
        var table = Table();
        var html = Bundles.Html(table);
        Assert.Equal(html, Bundles.Html(new ResultsTableView(table)));
        Assert.Contains(">83.20 ± 0.28 (n=2)<", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains($"color:{ComparisonTable.Match}\">+0.10<", html);                     // within the seeds' std (0.28): grey
        Assert.Contains("MFM official README", html);
        Assert.StartsWith("**MFM vs restoration pre-training", Bundles.Text(table));

        var comparison = new ResultsTableView(table).ToComparison();
        var row = Assert.Single(comparison.Rows);
        Assert.Equal(("MFM · Top-1 acc (%)", 83.1), (row.Metric, row.Paper));
        Assert.Equal(83.2, row.Ours, 9);
        Assert.Equal(0, row.Verdict);
    }

    [Fact]
    public void TheChartHasABarPerMethodAtItsMeanWithTheSeedsStdAndThePaperNumbersAsDiamonds()
    {
        var figure = JsonNode.Parse(new ResultsTableChart(Table()).ToFigure().ToJson())!;
        var traces = figure["data"]!.AsArray();
        Assert.Equal(3, traces.Count);                                                         // MFM, random init, the paper
        var mfm = traces[0]!;
        Assert.Equal(("bar", "MFM"), (mfm["type"]!.GetValue<string>(), mfm["name"]!.GetValue<string>()));
        Assert.Equal(new[] { "Top-1 acc (%)", "k-NN top-1 (%)" }, mfm["x"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(83.2, mfm["y"]![0]!.GetValue<double>(), 9);                                // mean of 83.0 and 83.4, in %
        Assert.Equal(41.0, mfm["y"]![1]!.GetValue<double>(), 9);
        Assert.Equal(Math.Sqrt(0.08), mfm["error_y"]!["array"]![0]!.GetValue<double>(), 9);     // the sample std of (83.0, 83.4)
        Assert.Equal(0, mfm["error_y"]!["array"]![1]!.GetValue<double>());                      // one seed: no error bar
        var random = traces[1]!;
        Assert.Null(random["y"]![1]);                                                           // not probed: no bar
        var paper = traces[2]!;
        Assert.Equal("diamond", paper["marker"]!["symbol"]!.GetValue<string>());
        Assert.Equal(83.1, Assert.Single(paper["y"]!.AsArray())!.GetValue<double>(), 9);
        Assert.Contains("folk-plot", Bundles.Html(new ResultsTableChart(Table())));
    }
}
