using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Data;
using Folk.Lab.Data.Manifests;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Robustness;

/// <summary>
/// Scores a fine-tuned classifier on clean test images and under the ImageNet-C corruptions, generated on the fly
/// (<see cref="CommonCorruptions"/>), as MFM's robustness table does (arXiv 2206.07706, Table 4: ImageNet-C mCE, and
/// top-1 on ImageNet-A, -R and -Sketch, which are clean-only evaluations of test sets whose classes may be a subset of
/// ImageNet's: <see cref="ManifestLabelSpace"/>).
/// </summary>
/// <remarks>
/// Each test image goes through the classifier's evaluation geometry (resize, centre crop) in [0,1], is corrupted,
/// then normalised: ImageNet-C corrupts the 224² centre crop and saves it (arXiv 1903.12261, §3), here nothing is
/// quantised or written in between. The randomness of cell k (clean, then each corruption and severity in order)
/// comes from a CPU generator seeded with (seed, k), so a cell's images do not depend on which other cells run. Each
/// finished cell is recorded in <c>cells.json</c> of the run folder, written atomically, so an interrupted evaluation
/// resumes where it stopped; a folder holding cells of another configuration is refused.
/// </remarks>
public static class RobustnessEvaluation
{
    /// <summary>The file of finished cells inside the run folder.</summary>
    public const string CellsFile = "cells.json";

    /// <summary>Evaluates <paramref name="classifier"/> on <paramref name="test"/> and writes <c>result.json</c> into
    /// <paramref name="runFolder"/>. Returns null when cancelled (the same call resumes).</summary>
    /// <param name="classifier">The classifier (its evaluation geometry comes with it).</param>
    /// <param name="test">The test images with labels in the data set's own class order.</param>
    /// <param name="dataName">The data set's name for the result.</param>
    /// <param name="classes">The data set's number of classes.</param>
    /// <param name="labelSpace">For a subset of the classifier's classes, which of its outputs to keep; else null.</param>
    /// <param name="runFolder">Where cells.json and result.json go.</param>
    /// <param name="options">What to measure.</param>
    /// <param name="progress">Told after each cell.</param>
    /// <param name="cancellation">Stops after the current batch.</param>
    public static EvaluationResult? Run(FinetunedClassifier classifier, IImageDataset test, string dataName, int classes, ManifestLabelSpace? labelSpace,
        string runFolder, RobustnessOptions options, IProgress<RobustnessProgress>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        CheckClasses(classifier, classes, labelSpace, dataName);
        foreach (var s in options.Severities)
            if (s is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(options), s, "Severities run from 1 to 5.");
        if (options.Corruptions.Count > 0 && classifier.EvaluationSize is not (224 or 32))
            throw new ArgumentException($"The corruptions' constants are published for 224² (ImageNet-C) and 32² (CIFAR-10-C) images; {classifier.Folder} is evaluated at {classifier.EvaluationSize}².");
        var baseline = !options.Normalise ? null
            : options.Baseline ?? (options.Corruptions.Count > 0 && classes == 1000 && classifier.EvaluationSize == 224 ? CorruptionBaseline.AlexNet : null);

        var images = options.Images is { } n && n < test.Count ? Subset(test, n, options.Seed) : test;
        var cells = new List<(string Name, CommonCorruption? Corruption, int Severity)> { ("clean", null, 0) };
        foreach (var c in options.Corruptions)
            foreach (var s in options.Severities) cells.Add(($"{c.Name()}.{s}", c, s));

        var config = new JsonObject
        {
            ["classifier"] = classifier.Folder,
            ["checkpoint_sha256"] = classifier.Sha256(),
            ["data"] = dataName,
            ["images"] = images.Count,
            ["corruptions"] = new JsonArray(options.Corruptions.Select(c => JsonValue.Create(c.Name())).ToArray<JsonNode?>()),
            ["severities"] = new JsonArray(options.Severities.Select(s => JsonValue.Create(s)).ToArray<JsonNode?>()),
            ["seed"] = options.Seed,
            ["evaluation_size"] = classifier.EvaluationSize,
            ["baseline"] = baseline?.Name,
        };
        Directory.CreateDirectory(runFolder);
        var done = ReadCells(runFolder, config);

        var device = classifier.Model.parameters().First().device;
        using var indices = labelSpace is null ? null : tensor(labelSpace.Indices.Select(i => (long)i).ToArray());
        var loader = new DataLoader(images, classifier.Geometry(), new DataLoaderOptions
        {
            BatchSize = options.BatchSize, Shuffle = false, DropLast = false, Workers = options.Workers,
        });
        for (int k = 0; k < cells.Count; k++)
        {
            var (name, corruption, severity) = cells[k];
            if (done.ContainsKey(name)) continue;
            using var generator = new Generator((ulong)(options.Seed * 1_000_003 + k));
            long wrong = 0, seen = 0;
            using (no_grad())
            {
                foreach (var batch in loader.Epoch(0, cancellation: cancellation))
                {
                    using var _ = batch;
                    using var scope = NewDisposeScope();
                    var x = corruption is { } c ? CommonCorruptions.Apply(c, batch.Images, severity, generator) : batch.Images;
                    var logits = classifier.Model.forward(ImageNetNormalization.Normalize(x).to(device)).to(ScalarType.Float32).cpu();
                    if (indices is not null) logits = logits.index_select(1, indices);
                    wrong += logits.argmax(1).ne(batch.Labels).sum().item<long>();
                    seen += batch.Labels.shape[0];
                }
            }
            if (cancellation.IsCancellationRequested) return null;
            done[name] = (double)wrong / seen;
            WriteCells(runFolder, config, done);
            progress?.Report(new RobustnessProgress(done.Count, cells.Count, name, done[name]));
        }

        var metrics = new Dictionary<string, double> { ["clean_error"] = done["clean"], ["top1"] = 1 - done["clean"], ["images"] = images.Count };
        string headline = "top1";
        if (options.Corruptions.Count > 0)
        {
            var errors = new CorruptionErrors(done["clean"], cells.Skip(1).ToDictionary(c => (c.Corruption!.Value, c.Severity), c => done[c.Name]));
            foreach (var c in errors.Corruptions)
            {
                metrics[$"error.{c.Name()}"] = errors.MeanError(c);
                foreach (var s in errors.Severities(c)) metrics[$"error.{c.Name()}.{s}"] = errors.Error(c, s);
            }
            metrics["mean_error"] = errors.UnnormalizedMeanError;
            headline = "mean_error";
            if (baseline is not null && options.Severities.Order().SequenceEqual([1, 2, 3, 4, 5]))
            {
                foreach (var c in errors.Corruptions) metrics[$"ce.{c.Name()}"] = errors.CorruptionError(c, baseline);
                metrics["mce"] = errors.MeanCorruptionError(baseline);
                metrics["relative_mce"] = errors.RelativeMeanCorruptionError(baseline);
                headline = "mce";
            }
        }
        var result = new EvaluationResult("robustness", Setting(options.Corruptions.Count > 0, dataName), config,
            classifier.Encoder, dataName, options.Seed, metrics, headline, clock.Elapsed.TotalSeconds,
            device.ToString(), EvaluationResult.CurrentVersions(), DateTimeOffset.UtcNow);
        result.Write(runFolder);
        return result;
    }

    /// <summary>The results table's column: "corruptions"; for a clean evaluation the data set's name where it is one
    /// of MFM's robustness test sets (imagenet-a, imagenet-r, imagenet-sketch), else "clean".</summary>
    public static string Setting(bool corrupted, string dataName) =>
        corrupted ? "corruptions" : dataName is "imagenet-a" or "imagenet-r" or "imagenet-sketch" ? dataName : "clean";

    static void CheckClasses(FinetunedClassifier classifier, int classes, ManifestLabelSpace? labelSpace, string dataName)
    {
        if (labelSpace is not null)
        {
            if (classifier.Classes != labelSpace.OfClasses)
                throw new ArgumentException($"{dataName}'s {classes} classes are classes of {labelSpace.Of} ({labelSpace.OfClasses} outputs), but {classifier.Folder} has {classifier.Classes} outputs.");
        }
        else if (classifier.Classes != classes)
            throw new ArgumentException($"{classifier.Folder} has {classifier.Classes} outputs but {dataName} has {classes} classes: score a classifier on the test set of the data it was fine-tuned on.");
    }

    static DatasetSubset Subset(IImageDataset test, int count, long seed)
    {
        var order = Enumerable.Range(0, test.Count).ToArray();
        new Random((int)(seed ^ 0x5eed)).Shuffle(order);
        return new DatasetSubset(test, order.Take(count).Order());
    }

    static Dictionary<string, double> ReadCells(string runFolder, JsonObject config)
    {
        var path = Path.Combine(runFolder, CellsFile);
        if (!File.Exists(path)) return [];
        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object.");
        if (!JsonNode.DeepEquals(node["config"], config))
            throw new InvalidOperationException($"{path} holds cells of another evaluation ({node["config"]?.ToJsonString()}); use another --out folder or delete it.");
        return (node["cells"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
    }

    static void WriteCells(string runFolder, JsonObject config, Dictionary<string, double> cells)
    {
        var node = new JsonObject { ["config"] = config.DeepClone(), ["cells"] = new JsonObject(cells.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
        IO.AtomicFile.WriteAllText(Path.Combine(runFolder, CellsFile), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
