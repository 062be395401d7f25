using Folk.Lab.Kernel.Notebooks;
using Folk.Lab.Tests.Shared;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Folk.Lab.Notebooks.Tests;

/// <summary>
/// <c>folk-lab reproduce --scale quick</c>'s report in Debian's chromium: the index links every notebook's page and
/// shows the merged tables; on every page each chart is drawn with data and each image decodes; nothing is fetched
/// from the network and no script fails.
/// </summary>
[Trait("Category", "Browser")]
[Collection(nameof(QuickSeriesCollection))]
public class ReproductionReportBrowserTests(QuickSeries series, ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task TheQuickReportOpensWithEveryViewDrawn()
    {
        var report = await series.RunAsync((IReadOnlyCollection<string>?)null);
        Assert.True(report.Succeeded, string.Join("\n", report.Notebooks.Where(n => n.Status == NotebookStatus.Failed).Select(n => $"{n.File}: {n.Failure}")));
        Assert.Equal(SeriesReproduction.Notebooks(NotebookTests.Folder).Count, report.Notebooks.Count);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Executable, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add($"{page.Url}: {m.Text}"); };
        page.PageError += (_, e) => errors.Add($"{page.Url}: {e}");
        page.Request += (_, r) => { if (!r.Url.StartsWith("file:", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) requests.Add(r.Url); };

        await page.GotoAsync(new Uri(report.Index).AbsoluteUri);
        var links = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('table.folk-series a')].map(a => a.href)");
        Assert.Equal(report.Notebooks.Count, links.Length);
        var failedCells = await page.EvaluateAsync<int>("document.querySelectorAll('td.Failed').length");
        Assert.Equal(0, failedCells);
        int tables = await page.EvaluateAsync<int>("document.querySelectorAll('table.folk-results').length");
        output.WriteLine($"index: {links.Length} notebooks, {tables} merged table(s)");

        foreach (var link in links)
        {
            await page.GotoAsync(link);
            int charts = await page.EvaluateAsync<int>("document.querySelectorAll('.folk-plot').length");
            if (charts > 0)
                await page.WaitForFunctionAsync($"document.querySelectorAll('.folk-plot .main-svg').length >= {charts}", null, new() { Timeout = 30_000 });
            var traces = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('.folk-plot')].map(el => (el.data || []).length)");
            Assert.All(traces, n => Assert.True(n > 0, $"{link}: a chart without data"));
            var images = await page.EvaluateAsync<int[]>("[...document.images].map(i => i.complete ? i.naturalWidth : 0)");
            Assert.All(images, w => Assert.True(w > 0, $"{link}: an image did not decode"));
            output.WriteLine($"{Path.GetFileName(new Uri(link).LocalPath)}: {charts} chart(s), {images.Length} image(s)");
        }
        Assert.Empty(errors);
        Assert.Empty(requests);
    }
}
