using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Folk.Lab.Training;

/// <summary>
/// The run's metrics: one JSON object per logged iteration in <c>metrics.jsonl</c> (MAE's log.txt convention) and the
/// same as <c>metrics.csv</c>. On resume, entries past the checkpoint are cut so that the log reads as one run.
/// </summary>
public sealed class MetricsLog(string folder)
{
    /// <summary>Path of the JSON-lines log.</summary>
    public string JsonLines { get; } = Path.Combine(folder, "metrics.jsonl");

    /// <summary>Path of the CSV log.</summary>
    public string Csv { get; } = Path.Combine(folder, "metrics.csv");

    /// <summary>Appends one report to both files.</summary>
    public void Append(StepReport r)
    {
        var row = new Dictionary<string, object>
        {
            ["step"] = r.Step, ["epoch"] = r.Epoch, ["lr"] = r.LearningRate, ["img_s"] = Math.Round(r.ImagesPerSecond, 2),
            ["elapsed_s"] = Math.Round(r.Elapsed.TotalSeconds, 2),
        };
        foreach (var (k, v) in r.Terms) row[k] = double.IsFinite(v) ? v : v.ToString(CultureInfo.InvariantCulture);
        File.AppendAllText(JsonLines, JsonSerializer.Serialize(row) + "\n");

        if (!File.Exists(Csv) || new FileInfo(Csv).Length == 0)
            File.WriteAllText(Csv, string.Join(",", row.Keys) + "\n");
        File.AppendAllText(Csv, string.Join(",", row.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))) + "\n");
    }

    /// <summary>Every logged entry, in order (a torn last line from a killed process is ignored).</summary>
    public IReadOnlyList<JsonElement> Read() =>
        !File.Exists(JsonLines) ? Array.Empty<JsonElement>()
        : File.ReadLines(JsonLines).Select(TryParse).Where(e => e is not null).Select(e => e!.Value).ToList();

    /// <summary>
    /// The iteration and value of <paramref name="term"/> ("loss", "loss_high", "lr", …) at every logged iteration that
    /// has it, in order; NaN and the infinities, which the log writes as strings, read back as numbers.
    /// </summary>
    public IReadOnlyList<(long Step, double Value)> Points(string term) => Read()
        .Where(e => e.TryGetProperty(term, out _))
        .Select(e => (e.GetProperty("step").GetInt64(), Number(e.GetProperty(term))))
        .ToList();

    /// <summary>The values of <see cref="Points"/> alone.</summary>
    public IReadOnlyList<double> Series(string term) => Points(term).Select(p => p.Value).ToList();

    static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();

    /// <summary>Keeps only entries with step &lt; <paramref name="step"/> (resuming from the checkpoint at that step).</summary>
    public void TruncateFrom(long step)
    {
        foreach (var path in new[] { JsonLines, Csv })
        {
            if (!File.Exists(path)) continue;
            var lines = File.ReadAllLines(path);
            var kept = new StringBuilder();
            for (int i = 0; i < lines.Length; i++)
            {
                if (path == Csv && i == 0) { kept.Append(lines[i]).Append('\n'); continue; }
                long? lineStep = path == JsonLines ? TryParse(lines[i])?.GetProperty("step").GetInt64()
                    : long.TryParse(lines[i].Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
                if (lineStep is { } ls && ls < step) kept.Append(lines[i]).Append('\n');
            }
            IO.AtomicFile.WriteAllText(path, kept.ToString());
        }
    }

    static JsonElement? TryParse(string line)
    {
        try { return JsonDocument.Parse(line).RootElement; }
        catch (JsonException) { return null; }
    }
}
