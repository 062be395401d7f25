using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Folk.Lab.Frequency;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;

namespace Folk.Lab.Interactive.Tests.Views;

[Collection(nameof(PlotlyPageCollection))]
public class ChartViewTests
{
    [Fact]
    public void TheRadialProfileIsALogLogPlotlyChartWithTheFittedSlope()
    {
        using var images = TestTensors.Images(2, 3, 32);
        var profile = RadialProfile.Compute(images);
        var view = RadialProfileView.Of(profile);
        var figure = JsonNode.Parse(view.ToFigure().ToJson())!;
        Assert.Equal("log", figure["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", figure["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        var traces = figure["data"]!.AsArray();
        Assert.Equal(2, traces.Count);
        Assert.Equal(profile.Radii.Length - 1, traces[0]!["x"]!.AsArray().Count);   // radius 0 left out
        var slope = profile.FitPowerLaw().Slope;
        Assert.Contains($"slope {slope:F2}", traces[1]!["name"]!.GetValue<string>());
        Assert.Equal(profile.FitPowerLaw().Evaluate(1), traces[1]!["y"]![0]!.GetValue<double>(), 9);

        var html = Bundles.Html(view);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("class=\"folk-plot\"", html);
        Assert.Contains($"slope {slope:F2}", Bundles.Text(view));
    }

    [Fact]
    public void DegradationCurvesShowEachMethodsLossRelativeToItsCleanLoss()
    {
        IReadOnlyList<Folk.Lab.Evaluation.Robustness.DegradationPoint> Curve(double clean, double noise1, double noise5, double blur5) =>
        [
            new("clean", 0, clean, 8), new("gaussian_noise", 1, noise1, 8), new("gaussian_noise", 5, noise5, 8), new("defocus_blur", 5, blur5, 8),
        ];
        var view = DegradationCurves.Of(("mfm", Curve(0.5, 0.6, 1.0, 0.25)), ("folk", Curve(8, 8, 8.8, 7.2)));
        var means = view.MeanRatios();
        Assert.Equal([(0, 1.0), (1, 1.2), (5, (2.0 + 0.5) / 2)], means[0].Mean);          // severity 5: noise ×2, blur ×½
        Assert.Equal([(0, 1.0), (1, 1.0), (5, (1.1 + 0.9) / 2)], means[1].Mean);
        var traces = JsonNode.Parse(view.ToFigure().ToJson())!["data"]!.AsArray();
        // per method: one thin line per family present (noise, blur) and the bold mean
        Assert.Equal(["mfm: noise", "mfm: blur", "mfm: all corruptions", "folk: noise", "folk: blur", "folk: all corruptions"],
            traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([1.0, 1.2, 2.0], traces[0]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Contains("Plotly.newPlot", Bundles.Html(view));
        Assert.Contains("mfm ×1.25 at severity 5", Bundles.Text(view));
    }

    [Fact]
    public void PlotlyJsComesFromThePackageOncePerPage()
    {
        PlotlyPage.Reset();
        var figure = new PlotlyFigure([new JsonObject { ["type"] = "scatter", ["y"] = new JsonArray(1, 2) }], []);
        var first = figure.ToHtml();
        var second = figure.ToHtml();
        Assert.Contains(PlotlyPage.LibraryMarker, first);
        Assert.DoesNotContain(PlotlyPage.LibraryMarker, second);
        Assert.True(PlotlyPage.Library.Length > 3_000_000, "the full minified plotly.js");
        Assert.Contains("2.28.0", PlotlyPage.Library[..400]);
        Assert.DoesNotContain("</script", PlotlyPage.Library, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn.plot.ly", second);
        // the library script ends exactly once in the first output
        Assert.Equal(2, Regex.Matches(first, "</script>").Count);
        PlotlyPage.Reset();
    }

    [Fact]
    public void TheAblationExplorerPrecomputesEverySettingWithAMenuAndASliderPerStrategy()
    {
        using var images = TestTensors.Images(1, 3, 32);
        var explorer = MaskAblationExplorer.Build(images[0], radii: [2, 4, 8], keepFractions: [0.01, 0.1]);
        Assert.Equal(2 * 3 + 2 * 2, explorer.Frames.Count);
        Assert.All(explorer.Frames.Where(f => f.Strategy == "Com"), f => Assert.Equal(f.Parameter, f.KeptFraction, 2));
        var low = explorer.Frames.Where(f => f.Strategy == "low-pass").ToList();
        var high = explorer.Frames.Where(f => f.Strategy == "high-pass").ToList();
        Assert.All(low.Zip(high), p => Assert.Equal(1.0, p.First.KeptFraction + p.Second.KeptFraction, 9));
        Assert.True(low[0].KeptFraction < low[2].KeptFraction);

        var figure = JsonNode.Parse(explorer.ToFigure().ToJson())!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(2, data.Count);                                     // mask and filtered image; settings swap their sources
        var first = Bundles.Images(data[0]!["source"]!.GetValue<string>());
        Assert.Equal((32, 32), (first[0].Width, first[0].Height));
        var sliders = figure["layout"]!["sliders"]!.AsArray();
        Assert.Equal(4, sliders.Count);
        Assert.Equal(3, sliders[0]!["steps"]!.AsArray().Count);
        var lastStep = sliders[3]!["steps"]![1]!["args"]![0]!["source"]!.AsArray();
        Assert.Equal(explorer.Frames[^1].Filtered.Pixels, Bundles.Images(lastStep[1]!.GetValue<string>())[0].Pixels);
        Assert.Equal(4, figure["layout"]!["updatemenus"]![0]!["buttons"]!.AsArray().Count);
        Assert.Contains("kept", figure["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("keep fraction τ = ", sliders[2]!["currentvalue"]!["prefix"]!.GetValue<string>());
    }

    [Fact]
    public void TheAblationExplorerShowsTheMagnitudeThresholdReadingOfTau()
    {
        using var images = TestTensors.Images(1, 3, 32);
        var explorer = MaskAblationExplorer.Build(images[0], radii: [4], keepFractions: [0.005, 0.01, 0.05],
            com: new Folk.Lab.Masks.ComMaskOptions { Threshold = Folk.Lab.Masks.ComThreshold.MagnitudeFraction });
        Assert.Equal(Folk.Lab.Masks.ComThreshold.MagnitudeFraction, explorer.TauReading);
        var kept = explorer.Frames.Where(f => f.Strategy == "Com").Select(f => f.KeptFraction).ToList();
        Assert.True(kept[0] > kept[1] && kept[1] > kept[2], $"a larger threshold keeps fewer frequencies: {string.Join(", ", kept)}");
        var sliders = JsonNode.Parse(explorer.ToFigure().ToJson())!["layout"]!["sliders"]!.AsArray();
        Assert.Equal("magnitude threshold τ = ", sliders[2]!["currentvalue"]!["prefix"]!.GetValue<string>());
    }
}

[CollectionDefinition(nameof(PlotlyPageCollection), DisableParallelization = true)]
public class PlotlyPageCollection;
