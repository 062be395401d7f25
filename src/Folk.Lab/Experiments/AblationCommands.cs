using Folk.Lab.Evaluation;

namespace Folk.Lab.Experiments;

/// <summary>Where and on what an ablation runs at full scale.</summary>
/// <param name="Data">The pre-training and evaluation manifest (ImageNet-1K).</param>
/// <param name="Root">The folder holding the data set, as the commands should name it (a shell variable is fine); empty
/// to leave <c>--root</c> out (the manifest's default_root).</param>
/// <param name="Runs">The folder under which every run and evaluation gets its own folder.</param>
/// <param name="Model">The encoder ("vit-b": the model of MFM's ablations; "vit-s").</param>
/// <param name="Epochs">Pre-training epochs (the official recipes: 300).</param>
/// <param name="BatchSize">Images per iteration on one GPU (official: 128 per GPU).</param>
/// <param name="Accumulation">Iterations per optimiser step (16 × 128 = the official global batch of 2048).</param>
public sealed record FullScale(
    string Data = "data-manifests/imagenet-1k.json", string Root = "$IMAGENET", string Runs = "runs/ablations", string Model = "vit-b",
    int Epochs = 300, int BatchSize = 128, int Accumulation = 16);

/// <summary>
/// The <c>folk-lab</c> command lines that run an <see cref="AblationRow"/> at full scale on one GPU: its pre-training
/// (official recipe plus the row's flags), then the series' protocols on its encoder: fine-tuning with the official
/// recipe (the papers' measure), fine-tuning on 1 % of the labels, the k-NN and the linear probe.
/// </summary>
public static class AblationCommands
{
    /// <summary>The protocols of an ablation table, by the setting name <see cref="EvaluationResult.Setting"/> gives them.</summary>
    public static IReadOnlyList<string> Settings { get; } = ["fine-tune", "fine-tune 1 %", "k-NN", "linear"];

    /// <summary>The row's pre-training run folder. Folders are named by the row's key alone, not its study, so that a
    /// run both studies hold (MFM's) is trained once: a key names one recipe in every study.</summary>
    public static string PretrainFolder(AblationRow row, FullScale scale) => $"{scale.Runs}/pretrain/{row.Run}";

    /// <summary>The folder of the row's evaluation by <paramref name="setting"/> (one of <see cref="Settings"/>).</summary>
    public static string EvaluationFolder(AblationRow row, string setting, FullScale scale) => $"{scale.Runs}/{Folder(setting)}/{row.Key}";

    /// <summary><c>folk-lab pretrain</c> for the row's run.</summary>
    public static string Pretrain(AblationRow row, FullScale scale)
    {
        ArgumentNullException.ThrowIfNull(row);
        List<string> words =
        [
            "folk-lab", "pretrain", "--method", row.Method, "--model", scale.Model, "--data", scale.Data, .. Root(scale),
            "--epochs", $"{scale.Epochs}", "--batch-size", $"{scale.BatchSize}", "--accumulation", $"{scale.Accumulation}", "--device", "cuda",
        ];
        words.AddRange(row.Arguments);
        words.AddRange(["--out", PretrainFolder(row, scale)]);
        return string.Join(' ', words);
    }

    /// <summary>The command of the row's evaluation by <paramref name="setting"/> (one of <see cref="Settings"/>).</summary>
    public static string Evaluate(AblationRow row, string setting, FullScale scale)
    {
        ArgumentNullException.ThrowIfNull(row);
        var words = setting switch
        {
            "fine-tune" => new List<string> { "folk-lab", "finetune", "--preset", "official" },
            "fine-tune 1 %" => ["folk-lab", "finetune", "--preset", "official", "--label-fraction", "0.01"],
            "k-NN" => ["folk-lab", "eval", "knn", "--crop-ratio", "0.875"],
            "linear" => ["folk-lab", "eval", "linear", "--batch-size", "16384", "--crop-ratio", "0.875"],
            _ => throw new ArgumentException($"Unknown setting '{setting}'; use one of: {string.Join(", ", Settings)}.", nameof(setting)),
        };
        words.InsertRange(2 + (setting is "k-NN" or "linear" ? 1 : 0), ["--encoder", PretrainFolder(row, scale)]);
        words.AddRange(["--data", scale.Data, .. Root(scale), "--device", "cuda"]);
        if (row.Part != EncoderPart.Exported) words.AddRange(["--part", row.Part.ToString().ToLowerInvariant()]);
        words.AddRange(["--out", EvaluationFolder(row, setting, scale)]);
        return string.Join(' ', words);
    }

    /// <summary>Every command of <paramref name="study"/> in order: each pre-training run once, then each row's evaluations.</summary>
    public static IReadOnlyList<string> All(AblationStudy study, FullScale scale)
    {
        ArgumentNullException.ThrowIfNull(study);
        var rows = study.Rows.GroupBy(r => r.Key).Select(g => g.First()).ToList();
        return study.Runs(quickOnly: false).Select(r => Pretrain(r, scale))
            .Concat(rows.SelectMany(r => Settings.Select(s => Evaluate(r, s, scale)))).ToList();
    }

    static string[] Root(FullScale scale) => scale.Root is { Length: > 0 } root ? ["--root", root] : [];

    static string Folder(string setting) => setting switch
    {
        "fine-tune" => "finetune",
        "fine-tune 1 %" => "finetune-1pct",
        "k-NN" => "knn",
        "linear" => "linear",
        _ => throw new ArgumentException($"Unknown setting '{setting}'; use one of: {string.Join(", ", Settings)}.", nameof(setting)),
    };
}
