using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Training;

namespace Folk.Lab.Experiments;

/// <summary>
/// A folder of runs named by what they are, so that every notebook or script that asks for the same run gets the one
/// already trained: a pre-training run's folder is its method, its model and the first 12 hex digits of the SHA-256 of
/// its description (the experiment config.json records, the trainer's settings and the batch), and an evaluation's
/// folder is the name its caller gives. The notebook series 06–14 shares its quick pre-training runs through one
/// (<see cref="Default"/>), so the test suite trains each of them once.
/// </summary>
/// <remarks>
/// A run is built under an exclusive lock file beside its folder, so two processes asking for it at once train it
/// once; the second waits, then finds it done. A finished run is recognised by the trainer itself (its newest
/// checkpoint is at the run's last iteration: resuming does nothing); an interrupted one resumes where it stopped. An
/// evaluation is finished when its <c>result.json</c> exists (written atomically, last).
/// </remarks>
public sealed class RunCache
{
    /// <summary>The environment variable that moves <see cref="Default"/>.</summary>
    public const string Variable = "FOLK_LAB_RUN_CACHE";

    /// <summary>The cache in <c>$FOLK_LAB_RUN_CACHE</c>, or <c>folk-lab-run-cache</c> in the temporary folder.</summary>
    public static RunCache Default => new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root
        ? root : Path.Combine(Path.GetTempPath(), "folk-lab-run-cache"));

    /// <summary>A cache in <paramref name="root"/> (created on first use).</summary>
    public RunCache(string root) => Root = Path.GetFullPath(root);

    /// <summary>The cache's folder.</summary>
    public string Root { get; }

    /// <summary>Where <paramref name="recipe"/> on <paramref name="dataName"/> lives in this cache (its
    /// <see cref="TrainerConfig.RunFolder"/> is ignored).</summary>
    public string FolderFor(PretrainingRecipe recipe, string dataName) =>
        Path.Combine(Root, "pretrain", $"{recipe.Method.Name}-{recipe.Model}-{Key(recipe, dataName)}");

    /// <summary>
    /// The run folder of <paramref name="recipe"/> pre-trained on <paramref name="data"/>: trained now if this cache
    /// does not hold it finished (resumed if it holds it in part), as it is otherwise. Returns the folder, which
    /// <see cref="Evaluation.PretrainedRun.Open"/> and every evaluation accept as an encoder.
    /// </summary>
    public string Pretrain(PretrainingRecipe recipe, IImageDataset data, string dataName, ITrainingCallbacks? callbacks = null,
        PretrainingRunOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        string folder = FolderFor(recipe, dataName);
        using (Lock(folder))
        {
            var run = PretrainingRun.Assemble(recipe with { Trainer = recipe.Trainer with { RunFolder = folder } }, data, dataName, callbacks, options);
            var result = run.Trainer.Run(cancellation);
            if (!result.Completed) throw new OperationCanceledException($"{folder}: pre-training was cancelled at iteration {result.Steps}; asking again resumes it.");
        }
        return folder;
    }

    /// <summary>
    /// The result of the evaluation named <paramref name="name"/> (a relative path: "knn/mfm-s0"): read from its
    /// folder's <c>result.json</c> when this cache holds it, otherwise made by <paramref name="evaluate"/>, which is
    /// given the folder and must write <c>result.json</c> there (every Folk.Lab protocol does).
    /// </summary>
    public EvaluationResult Evaluation(string name, Func<string, EvaluationResult> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        string folder = EvaluationFolder(name);
        using (Lock(folder))
        {
            if (File.Exists(Path.Combine(folder, EvaluationResult.FileName))) return EvaluationResult.Read(folder);
            var result = evaluate(folder);
            if (!File.Exists(Path.Combine(folder, EvaluationResult.FileName)))
                throw new InvalidOperationException($"Evaluation '{name}' returned without writing {EvaluationResult.FileName} into {folder}.");
            return result;
        }
    }

    /// <summary>The folder under <see cref="Root"/> whose evaluations are ablation variants (rows the papers' main
    /// tables do not have): notebooks name them <c>ablations/…</c>.</summary>
    public const string Ablations = "ablations";

    /// <summary>
    /// Every evaluation this cache holds (each finished <c>result.json</c>, in path order), for merging into tables
    /// with <see cref="ResultsTable.Build"/>; without the ablation variants unless <paramref name="ablations"/>.
    /// </summary>
    public IReadOnlyList<EvaluationResult> Results(bool ablations = false)
    {
        string root = Path.Combine(Root, "eval");
        if (!Directory.Exists(root)) return Array.Empty<EvaluationResult>();
        return Directory.EnumerateFiles(root, EvaluationResult.FileName, SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file))
            .Where(relative => ablations || !relative.StartsWith(Ablations + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(relative => EvaluationResult.Read(Path.GetDirectoryName(Path.Combine(root, relative))!))
            .ToList();
    }

    /// <summary>Where the evaluation named <paramref name="name"/> (a relative path: "knn/mfm-s0") lives in this cache,
    /// made or not: its <c>result.json</c>, and for a fine-tuning its checkpoints and <c>metrics.jsonl</c>.</summary>
    public string EvaluationFolder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Path.IsPathRooted(name) || name.Split('/', '\\').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"Evaluation name '{name}' must be a relative path without '.' or '..' parts (e.g. \"knn/mfm-s0\").", nameof(name));
        return Path.Combine(Root, "eval", name);
    }

    /// <summary>The first 12 hex digits of the SHA-256 of what makes <paramref name="recipe"/> on
    /// <paramref name="dataName"/> the run it is (not where or how verbosely it runs).</summary>
    public static string Key(PretrainingRecipe recipe, string dataName)
    {
        var trainer = JsonSerializer.SerializeToNode(recipe.Trainer with { RunFolder = null, Device = "", LogEverySteps = 0 })!;
        var identity = new JsonObject
        {
            ["experiment"] = PretrainingRun.Describe(recipe, dataName),
            ["trainer"] = trainer,
            ["batch"] = recipe.BatchSize,
        };
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToJsonString()));
        return Convert.ToHexString(hash, 0, 6).ToLowerInvariant();
    }

    static FileStream Lock(string folder)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        string path = folder + ".lock";
        for (int attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (attempt < 36_000) { Thread.Sleep(100); }   // another process is building it: wait (up to an hour)
        }
    }
}
