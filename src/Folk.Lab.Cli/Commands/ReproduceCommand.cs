using System.CommandLine;
using System.Globalization;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab reproduce</c>: the notebook series run headless, in order, into one report.</summary>
internal static class ReproduceCommand
{
    public static Command Create(CliConsole console)
    {
        var scale = Options.Choice("--scale", "quick: the CPU miniature (minutes); full: the papers' recipes (GPU, data sets: pass them with -p)", "quick", "quick", "full");
        var only = new Option<string?>("--only") { Description = "Only these notebooks, by number (e.g. 06,09)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the executed notebooks, their pages, index.html and the shared run cache", DefaultValueFactory = _ => new DirectoryInfo("reproduction") };
        var notebooks = new Option<DirectoryInfo?>("--notebooks") { Description = "The notebook folder (default: notebooks/ of the repository around the current folder)" };
        var cache = new Option<DirectoryInfo?>("--run-cache") { Description = "The run cache the notebooks share (default: OUT/run-cache)" };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "name=value for every notebook's parameters cell (repeatable), e.g. -p DataManifest=…", AllowMultipleArgumentsPerToken = false };
        var timeout = Options.Number("--timeout", "Seconds one cell may run (default: no limit)", 0, 0, false);
        var command = new Command("reproduce",
            "Run the notebook series in order, headless, at one scale: executed notebooks, an HTML page each and index.html with the " +
            "papers' tables merged from every evaluation. Resumable: a notebook whose executed copy is newer than it is skipped.")
        {
            scale, only, output, notebooks, cache, parameters, timeout,
        };
        command.SetAction(async (p, cancellation) =>
        {
            var folder = p.GetValue(notebooks)?.FullName ?? FindNotebooks()
                         ?? throw new DirectoryNotFoundException("No notebooks/ folder above the current one: run from the repository, or pass --notebooks.");
            var options = new ReproductionOptions
            {
                Scale = p.GetValue(scale)!,
                Only = p.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Output = p.GetValue(output)!.FullName,
                RunCache = p.GetValue(cache)?.FullName,
                Parameters = (p.GetValue(parameters) ?? []).Select(NotebookParameters.Parse).ToDictionary(),
                CellTimeout = p.GetValue(timeout) is > 0 and var s ? TimeSpan.FromSeconds(s) : null,
            };
            var report = await SeriesReproduction.RunAsync(folder, options, new LineReporter(console), cancellation);
            double total = report.Notebooks.Sum(n => n.Seconds);
            console.Out.WriteLine($"{report.Notebooks.Count(n => n.Status == NotebookStatus.Ran)} ran, {report.Notebooks.Count(n => n.Status == NotebookStatus.UpToDate)} up to date, " +
                                  $"{report.Notebooks.Count(n => n.Status == NotebookStatus.Failed)} failed in {total.ToString("F0", CultureInfo.InvariantCulture)} s; report: {report.Index}");
            return report.Succeeded ? 0 : 1;
        });
        return command;
    }

    static string? FindNotebooks()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Folk.Lab.sln")) && Directory.Exists(Path.Combine(dir.FullName, "notebooks")))
                return Path.Combine(dir.FullName, "notebooks");
        return null;
    }

    /// <summary>One line per notebook as it ends (synchronous: the run is sequential).</summary>
    sealed class LineReporter(CliConsole console) : IProgress<NotebookReport>
    {
        public void Report(NotebookReport r) => (r.Status == NotebookStatus.Failed ? console.Error : console.Out).WriteLine(r.Status switch
        {
            NotebookStatus.Ran => $"{r.File,-36} ran in {r.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s",
            NotebookStatus.UpToDate => $"{r.File,-36} up to date",
            _ => $"{r.File,-36} FAILED after {r.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s, {r.Failure?.Split('\n')[0]} (see {Path.GetFileName(r.Executed)})",
        });
    }
}
