using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Folk.Lab.Evaluation;

/// <summary>Which encoder an evaluation read.</summary>
/// <param name="Run">The pre-training run folder, or "random" for a freshly initialised encoder (the baseline every
/// table needs), or "supervised" for one trained from scratch with labels.</param>
/// <param name="Checkpoint">The checkpoint file the weights came from; null for "random".</param>
/// <param name="Sha256">The checkpoint file's SHA-256 (lower-case hex); null for "random".</param>
/// <param name="Method">The pre-training method ("mfm", "folk", "sr", …), "random" or "supervised": a table's row.</param>
/// <param name="Model">The architecture ("vit-t", "resnet50", …).</param>
/// <param name="Part">Which network of a two-network method was read ("student", "teacher"); null otherwise.</param>
public sealed record EncoderSource(string Run, string? Checkpoint, string? Sha256, string Method, string Model, string? Part = null);

/// <summary>
/// What one evaluation measured, written as <c>result.json</c> in its run folder: the protocol and its full config,
/// the encoder it read, the data, the metrics, and where and when it ran. <c>folk-lab results table</c> merges these
/// files into paper-shaped tables.
/// </summary>
/// <param name="Protocol">"finetune", "linear", "knn", "fewshot", "supervised" or "segmentation".</param>
/// <param name="Setting">The table's column within the protocol, human-readable: "fine-tune", "fine-tune 1 %",
/// "k-NN", "linear", "5-way 5-shot", ….</param>
/// <param name="Config">The protocol's configuration as it ran (every setting, so a result can be reproduced).</param>
/// <param name="Encoder">The encoder evaluated.</param>
/// <param name="Data">The data set ("fashion-mnist", "synthetic", a manifest's name).</param>
/// <param name="Seed">The evaluation's seed (several seeds of one setting become mean ± std in a table).</param>
/// <param name="Metrics">Named numbers; accuracies are fractions in [0, 1] ("top1", "top5", "ci95", …).</param>
/// <param name="Headline">The key of <paramref name="Metrics"/> a table shows.</param>
/// <param name="Seconds">Wall-clock seconds of the evaluation.</param>
/// <param name="Device">Where it ran ("cpu", "cuda:0").</param>
/// <param name="Versions">Folk.Lab, TorchSharp, .NET and OS versions.</param>
/// <param name="Date">When it finished (UTC).</param>
public sealed record EvaluationResult(
    string Protocol, string Setting, JsonObject Config, EncoderSource Encoder, string Data, long Seed,
    IReadOnlyDictionary<string, double> Metrics, string Headline, double Seconds, string Device,
    IReadOnlyDictionary<string, string> Versions, DateTimeOffset Date)
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "result.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The headline metric's value.</summary>
    [JsonIgnore]
    public double Value => Metrics[Headline];

    /// <summary>Writes <c>result.json</c> into <paramref name="runFolder"/> atomically; returns its path.</summary>
    public string Write(string runFolder)
    {
        if (!Metrics.ContainsKey(Headline))
            throw new InvalidOperationException($"The headline metric '{Headline}' is not among the metrics ({string.Join(", ", Metrics.Keys)}).");
        Directory.CreateDirectory(runFolder);
        var path = Path.Combine(runFolder, FileName);
        IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }

    /// <summary>The file this result was read from (set by <see cref="Read"/>; null for a result made in memory). Not
    /// written: a result does not record where it is stored.</summary>
    [JsonIgnore]
    public string? SourceFile { get; init; }

    /// <summary>The fields every result.json has (snake_case, as written).</summary>
    static readonly string[] Required = { "protocol", "setting", "config", "encoder", "data", "seed", "metrics", "headline", "seconds", "device", "versions", "date" };

    /// <summary>The fields every "encoder" object has.</summary>
    static readonly string[] RequiredEncoder = { "run", "method", "model" };

    /// <summary>Reads the <c>result.json</c> of <paramref name="runFolder"/> (or the file itself).</summary>
    /// <exception cref="FileNotFoundException">There is no result.json: the evaluation did not finish.</exception>
    /// <exception cref="InvalidDataException">The file is not a result (names the file and the field).</exception>
    public static EvaluationResult Read(string runFolder)
    {
        var path = File.Exists(runFolder) ? runFolder : Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{runFolder} has no {FileName}: the evaluation did not finish there (run it again with the same --out to resume).", path);
        const string fix = "run the evaluation again with the same --out to rewrite it";
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message}); {fix}.", e);
        }
        if (node is not JsonObject json) throw new InvalidDataException($"{path} does not hold a JSON object; {fix}.");
        foreach (var field in Required)
            if (json[field] is null) throw new InvalidDataException($"{path}: the field \"{field}\" is missing; {fix}.");
        if (json["encoder"] is not JsonObject encoder) throw new InvalidDataException($"{path}: the field \"encoder\" must be an object; {fix}.");
        foreach (var field in RequiredEncoder)
            if (encoder[field] is null) throw new InvalidDataException($"{path}: the field \"encoder.{field}\" is missing; {fix}.");
        EvaluationResult? result;
        try
        {
            result = json.Deserialize<EvaluationResult>(Json);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : e.Path ?? "?";
            throw new InvalidDataException($"{path}: the field \"{field}\" cannot be read ({e.Message}); {fix}.", e);
        }
        if (result is null) throw new InvalidDataException($"{path} is empty; {fix}.");
        if (!result.Metrics.ContainsKey(result.Headline))
            throw new InvalidDataException($"{path}: \"headline\" names \"{result.Headline}\", which is not in \"metrics\" ({string.Join(", ", result.Metrics.Keys)}); {fix}.");
        return result with { SourceFile = path };
    }

    /// <summary>The versions a result records: Folk.Lab, TorchSharp, .NET and the OS.</summary>
    public static IReadOnlyDictionary<string, string> CurrentVersions() => new SortedDictionary<string, string>
    {
        ["folk_lab"] = typeof(EvaluationResult).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };
}
