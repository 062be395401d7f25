using Folk.Lab.Tests.Shared;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Folk.Lab.Interactive.Tests.Browser;

/// <summary>
/// Folk.Lab's kernel in the live classic Jupyter Notebook (6.x) with Debian's widget front end (jupyter-js-widgets 2.1):
/// a notebook opened in chromium, every cell run from the page, and the outputs checked as the page renders them
/// (result, stream, decoded image, drawn Plotly chart, C#, F# and Python cells sharing a tensor, the live mask explorer
/// redrawn after its slider moved).
/// </summary>
[Trait("Category", "Browser")]
public class LiveNotebookBrowserTests(ITestOutputHelper output)
{
    const string KernelName = "folk-csharp-live";

    static readonly string[] Cells =
    [
        "1 + 1",
        "Console.WriteLine(\"streamed\")",
        "Folk.Lab.Interactive.Views.ImageGrid.Of(TorchSharp.torch.rand(4, 3, 32, 32))",
        "Folk.Lab.Interactive.Views.RadialProfileView.Of(Folk.Lab.Frequency.RadialProfile.Compute(TorchSharp.torch.rand(4, 3, 32, 32)))",
        "var amplitude = TorchSharp.torch.fft.fft2(TorchSharp.torch.ones(1, 8, 8)).abs();",
        "#!fsharp\n#!share --from csharp amplitude\nlet total = amplitude.sum().item<float32>()\ntotal",
        "#!python\n#!share --from csharp amplitude\n#!share --from fsharp total\nfloat(amplitude.sum()) == total",
        "var explorer = Folk.Lab.Interactive.Views.MaskAblationExplorer.Live(TorchSharp.torch.rand(3, 64, 64));\nexplorer",
    ];

    const int FSharpCell = 5, PythonCell = 6, ExplorerCell = 7;

    /// <summary>
    /// Requests the classic Notebook makes on its own that may fail without meaning anything: the favicon, the user's
    /// custom.js/custom.css (none in a fresh config dir), kernelspec logos (folk-lab installs none), and the path of the
    /// ipywidgets 7 front end that Notebook 6.4 asks for on every page (nbextensions/widgets/notebook/js/extension.js: a
    /// 404 where, as on Debian, the widget front end is jupyter-js-widgets under another path; then chromium's refusal to
    /// run the 404 page as a script). None comes from Folk.Lab's outputs or its widgets.
    /// </summary>
    static bool IgnorableFailure(string url)
    {
        // console locations read "url:line:column"
        url = System.Text.RegularExpressions.Regex.Replace(url, @"(:\d+){1,2}$", "");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        var path = uri.AbsolutePath;
        return path.EndsWith("/favicon.ico", StringComparison.Ordinal) || path.StartsWith("/custom/", StringComparison.Ordinal)
            || (path.StartsWith("/kernelspecs/", StringComparison.Ordinal) && path.Contains("/logo-", StringComparison.Ordinal))
            || path == "/nbextensions/widgets/notebook/js/extension.js";
    }

    /// <summary>A console error that only reports an ignorable request: chromium's line for the failed load, or its
    /// refusal to execute what came back instead of the script. Also ignored: the widget front end's own stylesheet, as
    /// Debian builds it, holds a data URL cut short (<c>url("data:image/gif;base64,R0lGO...")</c>, the background of a
    /// selected option in a Select widget), which chromium reports as an invalid URL once the stylesheet applies.</summary>
    static bool IgnorableConsoleError(string text, string location)
    {
        if (text == "Failed to load resource: net::ERR_INVALID_URL" && location.StartsWith("data:image/gif;base64,R0lGO...", StringComparison.Ordinal))
            return true;
        if (text.StartsWith("Failed to load resource", StringComparison.Ordinal)) return location.Length > 0 && IgnorableFailure(location);
        var refused = System.Text.RegularExpressions.Regex.Match(text, @"^Refused to execute script from '([^']+)'");
        return refused.Success && IgnorableFailure(refused.Groups[1].Value);
    }

    [LiveNotebookFact]
    public async Task ClassicNotebookRunsFolkLabCellsAndRendersTheirOutputs()
    {
        var watch = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("folk-lab-live-notebook-").FullName;
        Process? server = null;
        var log = new StringBuilder();
        try
        {
            var prefix = Path.Combine(root, "prefix");
            var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
            var install = Run(FolkLab, ["kernel", "install", "--prefix", prefix, "--name", KernelName]);
            Assert.True(install.ExitCode == 0, $"folk-lab kernel install failed:\n{install.Text}");
            WriteNotebook(Path.Combine(work, "test.ipynb"));

            int port = FreePort();
            var start = new ProcessStartInfo(LiveNotebookFactAttribute.Python,
                ["-m", "notebook", "--no-browser", "--port", port.ToString(), "--port-retries", "0", "--ip", "127.0.0.1",
                 "--NotebookApp.token=", "--NotebookApp.password=", "--notebook-dir", work])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work,
            };
            // containers (CI's included) often run as root, which the Notebook refuses without this flag
            if (Environment.UserName == "root") start.ArgumentList.Add("--allow-root");
            start.Environment["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter");
            start.Environment["JUPYTER_DATA_DIR"] = Path.Combine(root, "data");
            start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(root, "config");
            start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime");
            start.Environment["HOME"] = Path.Combine(root, "home");
            start.Environment["PYTHONWARNINGS"] = "ignore";
            server = Process.Start(start)!;
            server.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
            server.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            var baseUrl = $"http://127.0.0.1:{port}";
            await WaitUntilAnswering(server, baseUrl + "/api", log);
            output.WriteLine($"notebook server up after {watch.Elapsed.TotalSeconds:F1} s");

            var (playwright, browser) = await ExportedReportBrowserTests.LaunchAsync();
            using var _ = playwright;
            await using var __ = browser;
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            var consoleErrors = new List<(string Text, string Url)>();
            var pageErrors = new List<string>();
            var failed = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") lock (consoleErrors) consoleErrors.Add((m.Text, m.Location)); };
            page.PageError += (_, e) => { lock (pageErrors) pageErrors.Add(e); };
            page.Response += (_, r) => { if (r.Status >= 400) lock (failed) failed.Add($"{r.Status} {r.Url}"); };
            page.RequestFailed += (_, r) => { lock (failed) failed.Add($"failed {r.Url}"); };

            await page.GotoAsync($"{baseUrl}/notebooks/test.ipynb");
            await page.WaitForFunctionAsync("""
                () => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()
                      && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null
                """, null, new() { Timeout = 90_000, PollingInterval = 250 });
            output.WriteLine($"kernel idle after {watch.Elapsed.TotalSeconds:F1} s");

            await page.EvaluateAsync("() => Jupyter.notebook.execute_all_cells()");
            // done: every code cell has its execution count and the kernel is idle again
            await page.WaitForFunctionAsync("""
                () => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number')
                      && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null
                """, null, new() { Timeout = 180_000, PollingInterval = 250 });
            output.WriteLine($"cells ran after {watch.Elapsed.TotalSeconds:F1} s");

            var texts = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('#notebook-container .cell.code_cell')].map(c => (c.querySelector('.output') || {}).innerText || '')
                """);
            for (int i = 0; i < texts.Length; i++) output.WriteLine($"cell {i + 1} output: {Truncate(texts[i])}");
            Assert.Equal(Cells.Length, texts.Length);
            var errorOutputs = await page.EvaluateAsync<int>("document.querySelectorAll('#notebook-container .output_error').length");
            Assert.True(errorOutputs == 0, "no cell reports an error:\n" + string.Join("\n", texts));

            var result = await page.EvaluateAsync<string>("""
                () => { const o = document.querySelectorAll('#notebook-container .cell.code_cell')[0].querySelector('.output_subarea.output_result');
                        return o ? o.innerText.trim() : null; }
                """);
            Assert.Equal("2", result);
            var stream = await page.EvaluateAsync<string>("""
                () => { const o = document.querySelectorAll('#notebook-container .cell.code_cell')[1].querySelector('.output_stdout');
                        return o ? o.innerText : null; }
                """);
            Assert.Equal("streamed", stream?.Trim());

            // the image grid: its <img> loaded and decoded by the browser
            await page.WaitForFunctionAsync("""
                () => { const imgs = document.querySelectorAll('#notebook-container .cell.code_cell')[2].querySelectorAll('.output img');
                        return imgs.length > 0 && [...imgs].every(i => i.complete); }
                """, null, new() { Timeout = 15_000 });
            var widths = await page.EvaluateAsync<int[]>("""
                () => [...document.querySelectorAll('#notebook-container .cell.code_cell')[2].querySelectorAll('.output img')].map(i => i.naturalWidth)
                """);
            Assert.NotEmpty(widths);
            Assert.All(widths, w => Assert.True(w > 0, "the grid's image decoded"));

            // the radial profile: plotly.js (carried by the first chart) drew the figure with its traces
            output.WriteLine("plotly state: " + await page.EvaluateAsync<string>(
                "() => JSON.stringify({ plotly: typeof window.Plotly, amd: typeof define === 'function' && !!define.amd, libs: document.querySelectorAll('script[data-folk-plotly-library]').length, plots: document.querySelectorAll('.folk-plot').length, errs: document.querySelectorAll('.output_error, .output_stderr').length })"));
            await page.WaitForFunctionAsync("""
                () => { const p = document.querySelectorAll('#notebook-container .cell.code_cell')[3].querySelector('.js-plotly-plot');
                        return p && p.data && p.data.length > 0 && p.querySelector('.main-svg') !== null; }
                """, null, new() { Timeout = 30_000 });
            var traces = await page.EvaluateAsync<int>("""
                () => document.querySelectorAll('#notebook-container .cell.code_cell')[3].querySelector('.js-plotly-plot').data.length
                """);
            var lines = await page.EvaluateAsync<int>("""
                () => document.querySelectorAll('#notebook-container .cell.code_cell')[3].querySelectorAll('.scatterlayer path.js-line').length
                """);
            Assert.True(traces > 0 && lines > 0, $"the radial profile draws its lines ({traces} traces, {lines} lines)");

            // C#, F# and Python: F# summed C#'s tensor, Python compared its own sum of the same tensor with F#'s number
            Assert.Equal("64", await ResultText(page, FSharpCell));
            Assert.Equal("True", await ResultText(page, PythonCell));

            // the live explorer: the widget front end drew its controls; moving the radius slider redraws the panel
            await page.WaitForFunctionAsync($$"""
                () => { const c = document.querySelectorAll('#notebook-container .cell.code_cell')[{{ExplorerCell}}];
                        return c.querySelectorAll('.widget-hslider .ui-slider-handle').length === 2 && c.querySelector('.widget-html img') !== null; }
                """, null, new() { Timeout = 30_000 });
            var before = await ExplorerPanel(page);
            output.WriteLine($"explorer before: {before.Caption}");
            await page.Locator($"#notebook-container .cell.code_cell >> nth={ExplorerCell}").Locator(".widget-hslider .ui-slider-handle").First.FocusAsync();
            for (int i = 0; i < 4; i++) await page.Keyboard.PressAsync("ArrowRight");
            // each step is a comm message; the kernel recomputes and sends the panel's new HTML for each
            await page.WaitForFunctionAsync($$"""
                () => document.querySelectorAll('#notebook-container .cell.code_cell')[{{ExplorerCell}}].querySelector('.widget-html').innerText.startsWith('low-pass r = 9 ')
                """, null, new() { Timeout = 30_000 });
            var after = await ExplorerPanel(page);
            output.WriteLine($"explorer after: {after.Caption}");
            Assert.Matches(@"^low-pass r = 5 ", before.Caption);                   // 16 cycles at 224 pixels, scaled to 64
            Assert.NotEqual(before.Source, after.Source);                           // the pictures were redrawn
            var kept = (Before: KeptPercent(before.Caption), After: KeptPercent(after.Caption));
            Assert.True(kept.After > kept.Before, $"a wider low-pass keeps more: {kept}");

            var screenshot = Path.Combine(ExportedReportBrowserTests.Artifacts, "live-notebook.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            output.WriteLine($"screenshot: {screenshot}");

            List<string> failures, unexpectedFailures, unexpectedConsole;
            lock (failed) failures = [.. failed];
            lock (consoleErrors)
                unexpectedConsole = consoleErrors
                    // chromium reports every failed request as a console error too; those are judged by URL below
                    .Where(e => !IgnorableConsoleError(e.Text, e.Url))
                    .Select(e => $"{e.Text} ({e.Url})").ToList();
            unexpectedFailures = failures.Where(f => !IgnorableFailure(f[(f.IndexOf(' ') + 1)..])).ToList();
            foreach (var f in failures.Except(unexpectedFailures)) output.WriteLine($"ignored: {f}");
            Assert.True(unexpectedConsole.Count == 0, "console errors:\n" + string.Join("\n", unexpectedConsole));
            Assert.True(pageErrors.Count == 0, "page errors:\n" + string.Join("\n", pageErrors));
            Assert.True(unexpectedFailures.Count == 0, "failed requests:\n" + string.Join("\n", unexpectedFailures));
            output.WriteLine($"total {watch.Elapsed.TotalSeconds:F1} s");
        }
        catch
        {
            lock (log) output.WriteLine("--- notebook server log ---\n" + log);
            throw;
        }
        finally
        {
            if (server is not null)
            {
                try { if (!server.HasExited) server.Kill(entireProcessTree: true); server.WaitForExit(10_000); }
                catch (InvalidOperationException) { }
                server.Dispose();
            }
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    static Task<string?> ResultText(IPage page, int cell) => page.EvaluateAsync<string?>($$"""
        () => { const o = document.querySelectorAll('#notebook-container .cell.code_cell')[{{cell}}].querySelector('.output_subarea.output_result');
                return o ? o.innerText.trim() : null; }
        """);

    static double KeptPercent(string caption) =>
        double.Parse(System.Text.RegularExpressions.Regex.Match(caption, @"kept ([0-9.]+) %").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The live explorer's panel: its first image's source and its caption.</summary>
    static async Task<(string Source, string Caption)> ExplorerPanel(IPage page)
    {
        var panel = await page.EvaluateAsync<string[]>($$"""
            () => { const h = document.querySelectorAll('#notebook-container .cell.code_cell')[{{ExplorerCell}}].querySelector('.widget-html');
                    return [h.querySelector('img').src, h.innerText.trim()]; }
            """);
        return (panel[0], panel[1]);
    }

    void WriteNotebook(string path)
    {
        var cells = new JsonArray(Cells.Select(source => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(), ["source"] = source,
        }).ToArray());
        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = KernelName, ["display_name"] = "C# (Folk.Lab)", ["language"] = "csharp" },
                ["language_info"] = new JsonObject { ["name"] = "csharp" },
            },
            ["nbformat"] = 4, ["nbformat_minor"] = 4,
        };
        File.WriteAllText(path, notebook.ToJsonString());
        output.WriteLine($"notebook: {string.Join(" | ", Cells)}");
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    static async Task WaitUntilAnswering(Process server, string url, StringBuilder log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
                lock (log) throw new InvalidOperationException($"the notebook server exited ({server.ExitCode}):\n{log}");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        lock (log) throw new TimeoutException($"the notebook server did not answer {url} within 60 s:\n{log}");
    }

    static (int ExitCode, string Text) Run(string file, IEnumerable<string> args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} ran longer than 120 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    static string FolkLab => BuiltCommand.FolkLab;
}
