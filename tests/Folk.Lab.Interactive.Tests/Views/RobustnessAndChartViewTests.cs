using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Evaluation.Robustness;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Views;

namespace Folk.Lab.Interactive.Tests.Views;

[Collection(nameof(PlotlyPageCollection))]
public class RobustnessAndChartViewTests
{
    static CorruptionErrors Errors(double clean, double noise, double fog) => new(clean, new Dictionary<(CommonCorruption, int), double>
    {
        [(CommonCorruption.GaussianNoise, 1)] = noise - 0.1, [(CommonCorruption.GaussianNoise, 5)] = noise + 0.1,
        [(CommonCorruption.Fog, 1)] = fog, [(CommonCorruption.Fog, 2)] = fog, [(CommonCorruption.Fog, 3)] = fog, [(CommonCorruption.Fog, 4)] = fog, [(CommonCorruption.Fog, 5)] = fog,
    });

    [Fact]
    public void TheCorruptionGridShowsEveryCellShadedFromTheCleanErrorToOneHundredPercent()
    {
        var grid = CorruptionErrorGrid.Of(("pre-trained", Errors(0.2, 0.5, 0.3)), ("from scratch", Errors(0.4, 0.9, 0.4)));
        Assert.Equal([CommonCorruption.GaussianNoise, CommonCorruption.Fog], grid.Corruptions);
        var html = Bundles.Html(grid);
        Assert.Contains("folk-corruption-grid", html);
        Assert.Contains("pre-trained · clean 20.0 %", html);
        Assert.Contains("from scratch · clean 40.0 %", html);
        Assert.Contains(">noise<", html);                      // family rows
        Assert.Contains(">weather<", html);
        Assert.Contains(">60.0<", html);                        // gaussian noise at severity 5 of the first
        Assert.Contains(">50.0<", html);                        // its mean over the two severities measured
        Assert.Equal(2 * 3, Regex.Matches(html, "color:#bbb\">—<").Count);   // severities 2–4 of noise, for both
        // shading: white at or below the clean error, red at 100 %
        Assert.Equal("rgb(255,255,255)", CorruptionErrorGrid.Shade(0.1, 0.2));
        Assert.Equal("rgb(255,64,64)", CorruptionErrorGrid.Shade(1.0, 0.2));
        Assert.Contains($"background:{CorruptionErrorGrid.Shade(0.6, 0.2)}\">60.0<", html);
        var text = Bundles.Text(grid);
        Assert.Contains("pre-trained 35.7 % (clean 20.0 %)", text);      // the mean of the 7 cells: (0.4 + 0.6 + 5 × 0.3) / 7
        Assert.Contains("from scratch 54.3 %", text);                    // (0.8 + 1.0 + 5 × 0.4) / 7
    }
}
