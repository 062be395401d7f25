using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Robustness;
using Folk.Lab.Experiments;
using TorchSharp;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab eval robustness</c> (a fine-tuned classifier under the ImageNet-C corruptions, or clean on ImageNet-A, -R,
/// -Sketch) and <c>folk-lab eval degradation</c> (a pre-trained method's own loss under the corruptions).
/// </summary>
internal static class RobustnessCommand
{
    public static Command Robustness(CliConsole console)
    {
        var encoder = new Option<string>("--encoder") { Description = "A fine-tuning run folder (the --out of folk-lab finetune): the classifier to score", Required = true };
        var data = new Option<string>("--data") { Description = "'synthetic' or a data-manifests/*.json file (its test split; ImageNet-A/R/Sketch: clean only)", DefaultValueFactory = _ => "synthetic" };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Local copy of the manifest's data set (default: its default_root)" };
        var corruptions = new Option<string>("--corruptions") { Description = "all, none, or a comma-separated list of ImageNet-C names (gaussian_noise,…)", DefaultValueFactory = _ => "all" };
        var severities = new Option<string>("--severities") { Description = "1-5, or a comma-separated list", DefaultValueFactory = _ => "1-5" };
        var images = new Option<int?>("--images") { Description = "Score a seeded random subset of this many test images (default: all)" };
        var baseline = new Option<string>("--baseline") { Description = "What corruption errors are divided by: alexnet (ImageNet-C's), none, or the --out folder of another robustness evaluation (e.g. the from-scratch model's)", DefaultValueFactory = _ => "auto" };
        var seed = new Option<long>("--seed") { Description = "Seed of the corruptions and the image subset", DefaultValueFactory = _ => 0 };
        var batch = Options.Integer("--batch-size", "Images per forward pass", 256, 1);
        var device = Options.Choice("--device", "Where to run", "cpu", "cpu", "cuda");
        var threads = Options.Integer("--threads", "CPU threads", Environment.ProcessorCount, 1, 1024);
        var workers = Options.Integer("--workers", "Decoding threads", Environment.ProcessorCount, 1, 1024);
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for cells.json and result.json (an interrupted evaluation resumes from it)", Required = true };
        var command = new Command("robustness", "Score a fine-tuned classifier under the 15 ImageNet-C corruptions × 5 severities generated on the fly (mCE), or clean on ImageNet-A/R/Sketch.")
        {
            encoder, data, root, corruptions, severities, images, baseline, seed, batch, device, threads, workers, output,
        };
        command.SetAction((p, cancellation) => Task.FromResult(Run(p, cancellation)));
        return command;

        int Run(ParseResult p, CancellationToken cancellation)
        {
            TorchSharp.torch.set_num_threads(p.GetValue(threads));
            using var classifier = FinetunedClassifier.Open(p.GetValue(encoder)!);
            classifier.Model.to(Runtime.TorchDevices.Resolve(p.GetValue(device)!));
            var (test, name, classes, labelSpace) = LabelledDataSource.OpenTest(p.GetValue(data)!, p.GetValue(root)?.FullName, classifier.ImageSize);
            var options = new RobustnessOptions
            {
                Corruptions = ParseCorruptions(p.GetValue(corruptions)!), Severities = ParseSeverities(p.GetValue(severities)!),
                Images = p.GetValue(images), Seed = p.GetValue(seed), BatchSize = p.GetValue(batch), Workers = p.GetValue(workers),
                Normalise = p.GetValue(baseline) != "none",
                Baseline = p.GetValue(baseline) switch
                {
                    "auto" or "none" => null,
                    "alexnet" => CorruptionBaseline.AlexNet,
                    var folder => BaselineFrom(folder!),
                },
            };
            int cells = 1 + options.Corruptions.Count * options.Severities.Count;
            console.Out.WriteLine($"eval robustness: {classifier.Folder} ({classifier.Architecture}, {classifier.EvaluationSize}², {classifier.Classes} classes) on {name}, " +
                                  $"{Math.Min(options.Images ?? test.Count, test.Count):N0} images, {cells} cells (clean + {options.Corruptions.Count} corruptions × {options.Severities.Count} severities)");
            var result = RobustnessEvaluation.Run(classifier, test, name, classes, labelSpace, p.GetValue(output)!.FullName, options, new SynchronousProgress<RobustnessProgress>(r => console.Error.WriteLine($"[{r.Done}/{r.Total}] {r.Cell}: top-1 error {r.Error:P2}")), cancellation);
            if (result is null)
            {
                console.Error.WriteLine("stopped; run the same command to continue");
                return 130;
            }
            foreach (var c in options.Corruptions)
                console.Out.WriteLine($"  {c.Name(),-18} error {result.Metrics[$"error.{c.Name()}"]:P2}" +
                                      (result.Metrics.TryGetValue($"ce.{c.Name()}", out var ce) ? $"  CE {ce * 100:F1}" : ""));
            console.Out.WriteLine($"{result.Setting}: clean top-1 {result.Metrics["top1"]:P2}; {result.Seconds:F0} s; {Path.Combine(p.GetValue(output)!.FullName, EvaluationResult.FileName)}");
            console.Out.WriteLine(result.Headline switch
            {
                "mce" => $"mCE {result.Value * 100:F1} (relative mCE {result.Metrics["relative_mce"] * 100:F1}; normalised by {options.Baseline?.Name ?? CorruptionBaseline.AlexNet.Name})",
                "mean_error" => $"mean corruption error {result.Value:P2} (unnormalised)",
                _ => $"top-1 {result.Value:P2}",
            });
            return 0;
        }
    }

    public static Command Degradation(CliConsole console)
    {
        var encoder = new Option<string>("--encoder") { Description = "A pre-training run folder (the --out of folk-lab pretrain) of a method with its default settings (FOLK: with any --prototypes, --local-crops, --distill-weight)", Required = true };
        var data = new Option<string>("--data") { Description = "'synthetic' or a data-manifests/*.json file: its test split is the held-out images", DefaultValueFactory = _ => "synthetic" };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Local copy of the manifest's data set (default: its default_root)" };
        var corruptions = new Option<string>("--corruptions") { Description = "all, or a comma-separated list of ImageNet-C names", DefaultValueFactory = _ => "all" };
        var severities = new Option<string>("--severities") { Description = "1-5, or a comma-separated list", DefaultValueFactory = _ => "1-5" };
        var images = Options.Integer("--images", "Held-out images (the first of the test split)", 512, 1);
        var seed = new Option<long>("--seed") { Description = "Seed of the corruptions, views and masks", DefaultValueFactory = _ => 0 };
        var batch = Options.Integer("--batch-size", "Images per batch", 128, 1);
        var device = Options.Choice("--device", "Where to run", "cpu", "cpu", "cuda");
        var threads = Options.Integer("--threads", "CPU threads", Environment.ProcessorCount, 1, 1024);
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for curve.json, written after every point (an interrupted measurement resumes from it)", Required = true };
        var command = new Command("degradation", "A pre-trained method's own loss on held-out images degraded by each ImageNet-C corruption and severity (FOLK's robustness analysis).")
        {
            encoder, data, root, corruptions, severities, images, seed, batch, device, threads, output,
        };
        command.SetAction((p, cancellation) => Task.FromResult(Run(p, cancellation)));
        return command;

        int Run(ParseResult p, CancellationToken cancellation)
        {
            TorchSharp.torch.set_num_threads(p.GetValue(threads));
            var (run, config, method, epochs) = PretrainedMethod.Load(p.GetValue(encoder)!);
            var deviceName = Runtime.TorchDevices.Resolve(p.GetValue(device)!);
            method.Checkpointed.to(deviceName);
            var (test, name, _, _) = LabelledDataSource.OpenTest(p.GetValue(data)!, p.GetValue(root)?.FullName, run.ImageSize);
            var heldOut = new Data.DatasetSubset(test, Enumerable.Range(0, Math.Min(p.GetValue(images), test.Count)));
            var list = ParseCorruptions(p.GetValue(corruptions)!);
            var levels = ParseSeverities(p.GetValue(severities)!);
            console.Out.WriteLine($"eval degradation: {run.Method} ({run.Folder}, {run.ImageSize}²) on {heldOut.Count:N0} held-out {name} images, clean + {list.Count} corruptions × {levels.Count} severities");
            var folder = p.GetValue(output)!.FullName;
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "curve.json");
            var header = new JsonObject
            {
                ["method"] = run.Method, ["run"] = run.Folder, ["checkpoint_sha256"] = run.Sha256(), ["data"] = name, ["images"] = heldOut.Count,
                ["seed"] = p.GetValue(seed), ["epochs"] = epochs,
                ["corruptions"] = new JsonArray(list.Select(c => (JsonNode)c.Name()).ToArray()), ["severities"] = new JsonArray(levels.Select(l => (JsonNode)l).ToArray()),
            };
            var finished = ReadCurve(path, header);
            var measured = new List<DegradationPoint>(finished);
            void Save(IEnumerable<DegradationPoint> all)
            {
                var curve = (JsonObject)header.DeepClone();
                curve["points"] = new JsonArray(all.Select(pt => (JsonNode)new JsonObject { ["corruption"] = pt.Corruption, ["severity"] = pt.Severity, ["loss"] = pt.Loss, ["images"] = pt.Images }).ToArray());
                IO.AtomicFile.WriteAllText(path, curve.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            var points = DegradationLoss.Measure(method, config, run.ImageSize, heldOut, list, levels, p.GetValue(seed), deviceName, p.GetValue(batch),
                progress: new SynchronousProgress<DegradationPoint>(pt =>
                {
                    console.Error.WriteLine($"{pt.Corruption}{(pt.Severity > 0 ? $" @{pt.Severity}" : "")}: loss {pt.Loss:F4}");
                    measured.Add(pt);
                    Save(measured);                                            // each point as it finishes: a rerun resumes
                }),
                cancellation: cancellation, finished: finished);
            Save(points);
            if (points.Count < 1 + list.Count * levels.Count)
            {
                console.Error.WriteLine("stopped; the points so far are in curve.json");
                return 130;
            }
            double clean = points[0].Loss;
            foreach (var level in levels)
                console.Out.WriteLine($"  severity {level}: mean loss {points.Where(pt => pt.Severity == level).Average(pt => pt.Loss):F4} ({points.Where(pt => pt.Severity == level).Average(pt => pt.Loss) / clean:F2}× clean)");
            console.Out.WriteLine($"clean loss {clean:F4}; {Path.Combine(folder, "curve.json")}");
            return 0;
        }
    }

    /// <summary>The points of an interrupted measurement in <paramref name="path"/>; none when there is no file, and an
    /// error when it holds another measurement.</summary>
    static IReadOnlyList<DegradationPoint> ReadCurve(string path, JsonObject header)
    {
        if (!File.Exists(path)) return [];
        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object.");
        foreach (var (key, value) in header)
            if (!JsonNode.DeepEquals(node[key], value))
                throw new InvalidOperationException($"{path} holds another measurement ({key}: {node[key]?.ToJsonString()} here, {value?.ToJsonString()} now); use another --out folder or delete it.");
        return (node["points"] as JsonArray ?? []).Select(pt => new DegradationPoint(pt!["corruption"]!.GetValue<string>(), pt["severity"]!.GetValue<int>(),
            pt["loss"]!.GetValue<double>(), pt["images"]!.GetValue<int>())).ToList();
    }

    static CorruptionBaseline BaselineFrom(string folder)
    {
        var result = EvaluationResult.Read(folder);
        if (result.Protocol != "robustness" || !result.Metrics.ContainsKey("clean_error"))
            throw new InvalidDataException($"--baseline {folder}: not a robustness evaluation (protocol {result.Protocol}).");
        var errors = CommonCorruptions.All.Where(c => result.Metrics.ContainsKey($"error.{c.Name()}")).ToDictionary(c => c, c => result.Metrics[$"error.{c.Name()}"]);
        return new CorruptionBaseline(folder, result.Metrics["clean_error"], errors);
    }

    static IReadOnlyList<CommonCorruption> ParseCorruptions(string text) => text switch
    {
        "all" => CommonCorruptions.All,
        "none" => [],
        _ => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(CommonCorruptions.Parse).Distinct().Order().ToArray(),
    };

    static IReadOnlyList<int> ParseSeverities(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        int[] values = parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int from) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int to)
            ? Enumerable.Range(from, Math.Max(0, to - from + 1)).ToArray()
            : text.Split(',', StringSplitOptions.TrimEntries).Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out int v) ? v : -1).ToArray();
        if (values.Length == 0 || values.Any(v => v is < 1 or > 5))
            throw new ArgumentException($"--severities {text}: give 1-5, a range within it, or a comma-separated list of 1…5.");
        return values;
    }

    /// <summary>Reports on the calling thread (System.Progress posts to the thread pool, which would reorder lines).</summary>
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
