using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Training;

namespace Folk.Lab.Experiments;

/// <summary>The quick protocols every ablation row is measured with (the notebook series' miniature).</summary>
public sealed record AblationProtocols
{
    /// <summary>The settings measured, as <see cref="EvaluationResult.Setting"/> names them: k-NN, linear and the
    /// fine-tuning at <see cref="LabelFraction"/> ("fine-tune 1 %").</summary>
    public IReadOnlyList<string> Settings => ["k-NN", "linear", Finetune.Setting(LabelFraction)];

    /// <summary>Seed of the probes' heads, the label fraction and the fine-tuning.</summary>
    public long Seed { get; init; }

    /// <summary>Fine-tuning epochs (<see cref="SeriesMiniature.Finetuning"/>).</summary>
    public int FinetuneEpochs { get; init; } = 10;

    /// <summary>The fraction of the training labels fine-tuning sees (FOLK's few-label setting: 1 %).</summary>
    public double LabelFraction { get; init; } = 0.01;

    /// <summary>"cpu" or "cuda".</summary>
    public string Device { get; init; } = "cpu";
}

/// <summary>One row's numbers: its pre-training run folder and its evaluations by setting.</summary>
/// <param name="Row">The row.</param>
/// <param name="RunFolder">The pre-training run it evaluated.</param>
/// <param name="Results">Its evaluations, by <see cref="EvaluationResult.Setting"/>.</param>
public sealed record AblationMeasurement(AblationRow Row, string RunFolder, IReadOnlyDictionary<string, EvaluationResult> Results);

/// <summary>
/// Runs ablation rows through a <see cref="RunCache"/>: pre-trains each row's recipe once (a reference row is the
/// series' shared run of its method), then measures its encoder with the k-NN, the linear probe and fine-tuning on
/// 1 % of the labels, each evaluation cached under a name made of what it is; or reads a full-scale row's results
/// from the folders <see cref="AblationCommands"/> writes to.
/// </summary>
public static class AblationRun
{
    /// <summary>The row's pre-training run folder in <paramref name="cache"/>: <paramref name="recipeFor"/> of its
    /// method (e.g. <c>m => SeriesMiniature.Recipe(m, seed)</c>) with the row's change, trained on
    /// <paramref name="images"/> unless the cache holds it.</summary>
    public static string Pretrain(AblationRow row, Func<string, PretrainingRecipe> recipeFor, IImageDataset images, string dataName, RunCache cache,
        ITrainingCallbacks? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(cache);
        return cache.Pretrain(row.RecipeFrom(recipeFor), images, dataName, callbacks);
    }

    /// <summary>
    /// Measures the row's backbone of <paramref name="runFolder"/>: k-NN and linear probe on
    /// <paramref name="probes"/> (<see cref="SeriesMiniature.Frozen"/>), fine-tuning on a class-balanced
    /// <see cref="AblationProtocols.LabelFraction"/> of <paramref name="finetuning"/>'s training labels
    /// (<see cref="SeriesMiniature.Finetuning"/>); each evaluation is read from <paramref name="cache"/> when it holds it.
    /// The evaluations are named by what they are (<see cref="RunCache.Ablations"/>/data/protocol/run folder, network,
    /// seed and a digest of the protocol's settings), so that every row that measures the same network the same way
    /// shares them, a changed protocol is never read back stale, and <see cref="RunCache.Results"/> keeps them out of
    /// the main tables (notebook 14), where the 1 % fine-tuning of 1 % of all 60,000 labels would sit beside the
    /// series' 1 % of its 2,048-image subset. A finished fine-tuning keeps its result,
    /// config and metrics but not its checkpoints: a table needs the number, and each classifier would hold as much
    /// disk as its pre-training run.
    /// </summary>
    public static AblationMeasurement Evaluate(AblationRow row, string runFolder, LabelledData probes, LabelledData finetuning, RunCache cache,
        AblationProtocols? protocols = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(cache);
        var p = protocols ?? new AblationProtocols();
        var part = Resolved(runFolder, row.Part);
        string encoder = Path.GetFileName(Path.TrimEndingDirectorySeparator(runFolder));
        string Name(LabelledData data, string protocol, object settings) =>
            $"{RunCache.Ablations}/{SeriesMiniature.Slug(data.Name)}/{protocol}/{encoder}-{part.ToString().ToLowerInvariant()}-s{p.Seed}-{SeriesMiniature.Digest(settings, "")}";
        EvaluationResult Frozen(FrozenProtocol protocol, string name)
        {
            var options = SeriesMiniature.Frozen(protocol, p.Seed) with { Part = part, Device = "" };
            return cache.Evaluation(Name(probes, name, options), folder => FrozenEvaluation.Run(runFolder, probes, folder, options with { Device = p.Device }));
        }
        var knn = Frozen(FrozenProtocol.Knn, "knn");
        var linear = Frozen(FrozenProtocol.Linear, "linear");
        var recipe = SeriesMiniature.Finetuning(p.FinetuneEpochs, p.Seed);
        var options = new FinetuneOptions { LabelFraction = p.LabelFraction, Part = part };
        string fraction = (p.LabelFraction * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        var finetune = cache.Evaluation(Name(finetuning, $"finetune-{fraction}pct", new object[] { recipe, options }), folder =>
        {
            var result = Finetune.Run(recipe with { Trainer = recipe.Trainer with { Device = p.Device } }, runFolder, finetuning, folder, options)
                         ?? throw new OperationCanceledException($"{folder}: fine-tuning was cancelled; asking again resumes it.");
            Directory.Delete(Path.Combine(folder, "checkpoints"), recursive: true);      // the number is kept, not the classifier
            return result;
        });
        return new AblationMeasurement(row, runFolder, new Dictionary<string, EvaluationResult>
        {
            [knn.Setting] = knn, [linear.Setting] = linear, [finetune.Setting] = finetune,
        });
    }

    /// <summary>The network <paramref name="part"/> reads in <paramref name="runFolder"/>: <see cref="EncoderPart.Exported"/>
    /// of a two-network run resolved to the teacher or the student, as the run decides it, so that the exported
    /// backbone and the row that names the same network share one cached evaluation.</summary>
    static EncoderPart Resolved(string runFolder, EncoderPart part)
    {
        if (part != EncoderPart.Exported) return part;
        var run = PretrainedRun.Open(runFolder);
        using var checkpoint = Training.Checkpoints.Checkpoint.Load(run.Checkpoint);
        return checkpoint.Model.Keys.Any(k => k.StartsWith("teacher.encoder.", StringComparison.Ordinal)) ? run.ExportedPart(checkpoint.Model) : EncoderPart.Exported;
    }

    /// <summary>The full-scale results of <paramref name="row"/> that exist (each setting's <c>result.json</c> in the
    /// folder <see cref="AblationCommands.EvaluationFolder"/> names); null when none does yet.</summary>
    public static AblationMeasurement? ReadFullScale(AblationRow row, FullScale scale)
    {
        ArgumentNullException.ThrowIfNull(row);
        var results = new Dictionary<string, EvaluationResult>();
        foreach (var setting in AblationCommands.Settings)
        {
            string folder = AblationCommands.EvaluationFolder(row, setting, scale);
            if (File.Exists(Path.Combine(folder, EvaluationResult.FileName))) results[setting] = EvaluationResult.Read(folder);
        }
        return results.Count == 0 ? null : new AblationMeasurement(row, AblationCommands.PretrainFolder(row, scale), results);
    }
}
