using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.IO;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Export;

namespace Folk.Lab.Kernel.Notebooks;

/// <summary>Settings of <see cref="SeriesReproduction"/>.</summary>
public sealed record ReproductionOptions
{
    /// <summary>The notebooks' <c>Scale</c> parameter: "quick" (CPU minutes) or "full" (the papers' recipes on a GPU).</summary>
    public string Scale { get; init; } = "quick";

    /// <summary>Only these notebooks, by number ("06", "9"); null runs them all.</summary>
    public IReadOnlyCollection<string>? Only { get; init; }

    /// <summary>Where the executed notebooks, their pages, the index and (by default) the run cache go.</summary>
    public string Output { get; init; } = "reproduction";

    /// <summary>The run cache the notebooks share (<see cref="RunCache.Variable"/>); null: <c>run-cache</c> in
    /// <see cref="Output"/>, so that the index's tables merge exactly this reproduction's runs.</summary>
    public string? RunCache { get; init; }

    /// <summary>More parameters for every notebook (name → C# expression), e.g. a data manifest at full scale.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>How long one cell may run (null: no limit).</summary>
    public TimeSpan? CellTimeout { get; init; }
}

/// <summary>What happened to one notebook.</summary>
public enum NotebookStatus
{
    /// <summary>Executed now, every cell passed.</summary>
    Ran,

    /// <summary>Its executed copy is newer than the notebook and was made at the same scale and parameters.</summary>
    UpToDate,

    /// <summary>A cell failed; its executed copy (ending with the error) is saved as <c>NAME.failed.ipynb</c>.</summary>
    Failed,
}

/// <summary>One notebook of a reproduction.</summary>
/// <param name="Number">"06".</param>
/// <param name="File">"06-mfm-ablations.ipynb".</param>
/// <param name="Title">The notebook's first heading.</param>
/// <param name="Status">What happened.</param>
/// <param name="Seconds">Wall time of its cells (0 when up to date).</param>
/// <param name="Executed">The executed notebook.</param>
/// <param name="Page">Its HTML page.</param>
/// <param name="Failure">The failing cell and error (first line), then the traceback, when it failed.</param>
public sealed record NotebookReport(string Number, string File, string Title, NotebookStatus Status, double Seconds, string Executed, string Page, string? Failure);

/// <summary>The whole reproduction: each notebook's report and the index page.</summary>
public sealed record ReproductionReport(IReadOnlyList<NotebookReport> Notebooks, string Index)
{
    /// <summary>Whether every notebook ran or was up to date.</summary>
    public bool Succeeded => Notebooks.All(n => n.Status != NotebookStatus.Failed);
}

/// <summary>
/// The notebook series as one job (<c>folk-lab reproduce</c>): every <c>NN-name.ipynb</c> of a folder in order,
/// headless (<see cref="NotebookExecutor"/>), with the same <c>Scale</c>; each executed copy and its self-contained
/// HTML page written into the output folder; then <c>index.html</c>, which links every page and merges every
/// evaluation the notebooks left in the shared run cache into the papers' tables (<see cref="PaperLayout"/>).
/// </summary>
/// <remarks>
/// Resumable: a notebook whose executed copy is newer than the notebook file and records the same scale and
/// parameters is not run again; a failed one is (its partial copy is kept as <c>NAME.failed.ipynb</c>), and a failure
/// does not stop the notebooks after it. The notebooks run in this process with the notebook folder as working
/// directory, as <c>folk-lab notebook run</c> runs one; <see cref="RunCache.Variable"/> points them at one cache for
/// the duration, so that they pre-train each shared run once.
/// </remarks>
public static partial class SeriesReproduction
{
    /// <summary>The executed notebook's metadata key under which the scale and parameters are recorded.</summary>
    public const string MetadataKey = "folk_lab_reproduce";

    /// <summary>The series' notebooks in <paramref name="folder"/>, in order: files named <c>NN-name.ipynb</c>.</summary>
    public static IReadOnlyList<string> Notebooks(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.ipynb").Where(f => SeriesName().IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList()
            : throw new DirectoryNotFoundException($"{folder}: no such notebook folder (the repository's notebooks/).");

    /// <summary>Runs the series in <paramref name="notebooks"/> under <paramref name="options"/>; reports each notebook
    /// to <paramref name="progress"/> as it ends.</summary>
    public static async Task<ReproductionReport> RunAsync(string notebooks, ReproductionOptions options, IProgress<NotebookReport>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Scale is not ("quick" or "full"))
            throw new ArgumentException($"Scale '{options.Scale}': use quick or full.", nameof(options));
        var selected = Select(Notebooks(notebooks), options.Only);
        string output = Directory.CreateDirectory(options.Output).FullName;
        string cache = Path.GetFullPath(options.RunCache ?? Path.Combine(output, "run-cache"));
        var parameters = new Dictionary<string, string>(options.Parameters) { ["Scale"] = $"\"{options.Scale}\"" };
        string recorded = Record(parameters);

        var previousCache = Environment.GetEnvironmentVariable(RunCache.Variable);
        Environment.SetEnvironmentVariable(RunCache.Variable, cache);
        var reports = new List<NotebookReport>();
        try
        {
            foreach (var source in selected)
            {
                cancellation.ThrowIfCancellationRequested();
                var report = await RunOneAsync(source, output, parameters, recorded, options.CellTimeout, cancellation);
                reports.Add(report);
                progress?.Report(report);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunCache.Variable, previousCache);
        }
        string index = Path.Combine(output, "index.html");
        AtomicFile.WriteAllText(index, Index(reports, options, cache));
        return new ReproductionReport(reports, index);
    }

    static async Task<NotebookReport> RunOneAsync(string source, string output, Dictionary<string, string> parameters, string recorded,
        TimeSpan? timeout, CancellationToken cancellation)
    {
        string file = Path.GetFileName(source), stem = Path.GetFileNameWithoutExtension(source);
        string executed = Path.Combine(output, file), page = Path.Combine(output, stem + ".html"), failed = Path.Combine(output, stem + ".failed.ipynb");
        var notebook = Notebook.Load(source);
        string number = file[..2], title = Title(notebook, stem);
        if (UpToDate(executed, page, source, recorded))
            return new NotebookReport(number, file, title, NotebookStatus.UpToDate, 0, executed, page, null);

        var watch = Stopwatch.StartNew();
        var execution = await NotebookExecutor.ExecuteAsync(notebook, Path.GetDirectoryName(source)!, parameters, timeout, cancellation);
        execution.Notebook.Metadata[MetadataKey] = JsonNode.Parse(recorded);
        AtomicFile.WriteAllText(page, HtmlExporter.Render(execution.Notebook, stem));
        if (execution.Failure is { } failure)
        {
            AtomicFile.WriteAllText(failed, execution.Notebook.ToJson() + "\n");
            if (File.Exists(executed)) File.Delete(executed);                              // no stale success beside a failure
            return new NotebookReport(number, file, title, NotebookStatus.Failed, watch.Elapsed.TotalSeconds, failed, page,
                $"cell {failure.Index}: {failure.Error.Name}: {failure.Error.Value}" + string.Concat(failure.Error.Traceback.Skip(1).Select(line => "\n" + line)));
        }
        AtomicFile.WriteAllText(executed, execution.Notebook.ToJson() + "\n");             // last: its time stamp says "done"
        if (File.Exists(failed)) File.Delete(failed);
        return new NotebookReport(number, file, title, NotebookStatus.Ran, watch.Elapsed.TotalSeconds, executed, page, null);
    }

    static bool UpToDate(string executed, string page, string source, string recorded)
    {
        if (!File.Exists(executed) || !File.Exists(page) || File.GetLastWriteTimeUtc(executed) <= File.GetLastWriteTimeUtc(source)) return false;
        try { return Notebook.Load(executed).Metadata[MetadataKey]?.ToJsonString() == JsonNode.Parse(recorded)!.ToJsonString(); }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException) { return false; }
    }

    static IReadOnlyList<string> Select(IReadOnlyList<string> all, IReadOnlyCollection<string>? only)
    {
        if (only is null) return all;
        var wanted = only.Select(n => int.TryParse(n, out int v) && v is >= 0 and < 100 ? v.ToString("00")
            : throw new ArgumentException($"--only {n}: give notebook numbers such as 06,09.")).ToHashSet();
        var present = all.Select(f => Path.GetFileName(f)[..2]).ToHashSet();
        if (wanted.FirstOrDefault(n => !present.Contains(n)) is { } missing)
            throw new ArgumentException($"--only {missing}: no notebook {missing}-*.ipynb; the series has {string.Join(", ", present.Order())}.");
        return all.Where(f => wanted.Contains(Path.GetFileName(f)[..2])).ToList();
    }

    static string Record(IReadOnlyDictionary<string, string> parameters)
    {
        var node = new JsonObject();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) node[name] = value;
        return new JsonObject { ["parameters"] = node }.ToJsonString();
    }

    static string Title(Notebook notebook, string fallback)
    {
        var first = notebook.Cells.FirstOrDefault(c => c.Kind == "markdown")?.Source.Split('\n').FirstOrDefault(l => l.StartsWith('#'));
        return first?.TrimStart('#', ' ').Trim() is { Length: > 0 } title ? title : fallback;
    }

    /// <summary>The index page: a row per notebook (status, time, link), then every cached evaluation merged into the
    /// papers' tables, each table with its legend and sources.</summary>
    static string Index(IReadOnlyList<NotebookReport> reports, ReproductionOptions options, string cache)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Folk.Lab · the papers reproduced</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
            .Append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}")
            .Append(".Failed{color:#b00020;font-weight:bold}.UpToDate{color:#666}caption{font-weight:bold;text-align:left;padding:4px 0}")
            .Append("</style></head><body>\n<h1>Folk.Lab · MFM and FOLK reproduced</h1>\n");
        html.Append("<p>Scale <b>").Append(Encode(options.Scale)).Append("</b>. ").Append(options.Scale == "quick"
            ? "Quick scale is a CPU miniature (a Fashion-MNIST subset, ViT-T widths, minutes of training): its numbers show the protocols working, not the papers' numbers; the paper's value stands beside ours where known, and a ranking at this scale is reported, not claimed."
            : "Full scale runs the papers' recipes; compare each number with the paper's beside it.").Append("</p>\n");
        html.Append("<table class=\"folk-series\"><thead><tr><th>#</th><th>Notebook</th><th>Status</th><th>Seconds</th></tr></thead><tbody>\n");
        foreach (var r in reports)
        {
            html.Append("<tr><td>").Append(r.Number).Append("</td><td><a href=\"").Append(Uri.EscapeDataString(Path.GetFileName(r.Page))).Append("\">")
                .Append(Encode(r.Title)).Append("</a></td><td class=\"").Append(r.Status).Append("\">")
                .Append(r.Status switch { NotebookStatus.Ran => "ran", NotebookStatus.UpToDate => "up to date", _ => "failed: " + Encode(r.Failure ?? "") })
                .Append("</td><td>").Append(r.Status == NotebookStatus.UpToDate ? "" : r.Seconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }
        html.Append("</tbody></table>\n<h2>The tables</h2>\n");
        var (results, superseded) = ResultsTable.NewestPerSeed(new RunCache(cache).Results());
        if (results.Count == 0)
            html.Append("<p>No evaluation results in the run cache yet: run the notebooks that evaluate encoders (06–14).</p>\n");
        else
            foreach (var layout in new[] { PaperLayout.Mfm, PaperLayout.Folk, PaperLayout.MfmRobustness })
            {
                try { html.Append(ResultsTableText.Html(ResultsTable.Build(results, layout))); }
                catch (InvalidDataException e) { html.Append("<p class=\"Failed\">").Append(Encode($"{layout.Title}: {e.Message}")).Append("</p>\n"); }
            }
        foreach (var r in superseded)
            html.Append("<p>Set aside, an older result of the same seed: ").Append(Encode($"{r.Encoder.Method} · {r.Setting} · seed {r.Seed}")).Append("</p>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"^\d\d-[a-z0-9-]+\.ipynb$")]
    private static partial Regex SeriesName();
}
