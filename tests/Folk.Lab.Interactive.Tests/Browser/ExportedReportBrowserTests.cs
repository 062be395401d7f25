using Folk.Lab.Tests.Shared;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Tests.Views;
using Folk.Lab.Kernel.Export;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Folk.Lab.Interactive.Tests.Browser;

/// <summary>The exported report opened in a real browser: charts drawn with data, images decoded, no console errors.</summary>
[Trait("Category", "Browser")]
[Collection(nameof(PlotlyPageCollection))]
public class ExportedReportBrowserTests(ITestOutputHelper output)
{
    /// <summary>Screenshots land here (the test output folder), kept as artifacts of the run.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "browser")).FullName;

    internal static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Executable, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        return (playwright, browser);
    }

    [ChromiumFact]
    public async Task EveryViewRendersOfflineInChromium()
    {
        var path = Path.Combine(Artifacts, "views-report.html");
        new HtmlExporter().Export(ViewReport.Build(), path);
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        page.Request += (_, r) => { if (!r.Url.StartsWith("file:", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) requests.Add(r.Url); };

        await page.GotoAsync(new Uri(path).AbsoluteUri);
        await page.WaitForFunctionAsync($"document.querySelectorAll('.folk-plot .main-svg').length >= {ViewReport.Charts}", null, new() { Timeout = 30_000 });

        var plots = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('.folk-plot')].map(el => (el.data || []).length)");
        Assert.Equal(ViewReport.Charts, plots.Length);
        Assert.All(plots, n => Assert.True(n > 0));
        var lines = await page.EvaluateAsync<int>("document.querySelectorAll('.folk-plot .scatterlayer path.js-line').length");
        Assert.True(lines >= 2, $"the radial profile draws its lines ({lines})");
        var images = await page.EvaluateAsync<int[]>("[...document.images].map(i => i.complete ? i.naturalWidth : 0)");
        Assert.True(images.Length >= 20);
        Assert.All(images, w => Assert.True(w > 0, "every image decoded"));
        var plotlyImages = await page.EvaluateAsync<int>("document.querySelectorAll('.folk-plot image').length");
        Assert.True(plotlyImages >= 2, "the ablation explorer shows mask and filtered image");

        // the explorer's dropdown switches strategy: apply its "Com" button as plotly.js does on a click
        await page.EvaluateAsync("""
            () => { const gd = document.querySelectorAll('.folk-plot')[1]; const b = gd.layout.updatemenus[0].buttons[2];
                    return Plotly.update(gd, b.args[0], b.args[1]); }
            """);
        await page.WaitForFunctionAsync("document.querySelectorAll('.folk-plot')[1].layout.title.text.startsWith('Com')", null, new() { Timeout = 10_000 });
        var sliderVisible = await page.EvaluateAsync<bool[]>("document.querySelectorAll('.folk-plot')[1].layout.sliders.map(s => s.visible)");
        Assert.Equal([false, false, true, false], sliderVisible);

        var screenshot = Path.Combine(Artifacts, "views-report.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"report: {path}\nscreenshot: {screenshot}");
        Assert.Empty(errors);
        Assert.Empty(requests);
    }
}
