using System.Text.Json.Nodes;
using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;

namespace Folk.Lab.Interactive.Tests.Views;

[Collection(nameof(PlotlyPageCollection))]
public class AblationTableViewTests
{
    static EvaluationResult Result(string setting, double top1) =>
        new("knn", setting, new JsonObject(), new EncoderSource("run", null, null, "mfm", "vit-t"), "fashion-mnist", 0,
            new Dictionary<string, double> { ["top1"] = top1 }, "top1", 1, "cpu", new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

    static AblationMeasurement Measured(string key, double knn, double linear) => new(MfmAblations.Study.Rows.First(r => r.Key == key), "run",
        new Dictionary<string, EvaluationResult> { ["k-NN"] = Result("k-NN", knn), ["linear"] = Result("linear", linear) });

    static AblationTable Table() => AblationTable.Build(MfmAblations.Study,
        [Measured("mfm", 0.700, 0.800), Measured("sr", 0.650, 0.805), Measured("r8", 0.720, 0.790)], ["k-NN", "linear"]);

    [Fact]
    public void TheTableShowsEachGroupsFindingAndColoursTheDifferenceFromItsReference()
    {
        var html = System.Net.WebUtility.HtmlDecode(Bundles.Html(new AblationTableView(Table())));
        Assert.Contains(MfmAblations.Study.Findings["restoration task"], html);
        Assert.Contains(MfmAblations.Study.Findings["mask radius r (at 224²)"], html);
        Assert.DoesNotContain(MfmAblations.Study.Findings["frequency loss"], html);           // no row of that group was measured
        Assert.Contains($"color:{ComparisonTable.Worse}\">−5.0<", html);                      // SR k-NN: 65.0 − 70.0
        Assert.Contains($"color:{ComparisonTable.Match}\">+0.5<", html);                      // SR linear: within a point
        Assert.Contains($"color:{ComparisonTable.Better}\">+2.0<", html);                     // r = 8 k-NN
        Assert.Contains("82.4 (ViT-B/16, IN-1K fine-tune)", html);                            // the README's SR number
    }

    [Fact]
    public void TheChartHasOneBarPerSettingForEveryRowButTheReferences()
    {
        var figure = new AblationTableView(Table()).ToFigure();
        Assert.Equal(2, figure.Data.Count);
        var knn = figure.Data[0]!;
        Assert.Equal("k-NN", knn["name"]!.GetValue<string>());
        Assert.Equal(new[] { "restoration task · SR (×8 bicubic down and up)", "mask radius r (at 224²) · r = 8" },
            knn["y"]!.AsArray().Select(y => y!.GetValue<string>()));
        Assert.Equal(new[] { -5.0, 2.0 }, knn["x"]!.AsArray().Select(x => x!.GetValue<double>()));
    }

    [Fact]
    public void TheTextFormIsAMarkdownTableWithTheReferencesMarked()
    {
        var text = new AblationTableView(Table()).ToString();
        Assert.Contains("| restoration task | MFM (r = 16, p_low = 0.5, γ = 1, masked target) (ref.) | 70.0 |  | 80.0 |  |", text);
        Assert.Contains("| mask radius r (at 224²) | r = 8 | 72.0 | +2.0 | 79.0 | −1.0 |", text);
        var frame = new AblationTableView(Table()).ToDataFrame();
        Assert.Equal(4, frame.Rows.Count);
        Assert.Equal(-5.0, (double)frame["Δ k-NN"][1]!, 9);
    }
}
