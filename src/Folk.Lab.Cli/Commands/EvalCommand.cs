using System.CommandLine;
using Folk.Lab.Evaluation;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab eval knn|linear|fewshot</c>: the frozen-feature protocols on a pre-training run's encoder or a random
/// one; each writes result.json into --out and prints its headline metric as the last line. <c>eval robustness</c> and
/// <c>eval degradation</c> live in <see cref="RobustnessCommand"/>.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("eval", "Evaluate an encoder's frozen features: DINO's k-NN, MAE's linear probe, or N-way K-shot episodes.");
        command.Subcommands.Add(Protocol(console, "knn", FrozenProtocol.Knn, "Weighted k-NN (DINO: k = 20, T = 0.07) on the frozen features."));
        command.Subcommands.Add(Protocol(console, "linear", FrozenProtocol.Linear, "MAE's linear probe: BatchNorm without affine, a linear head, LARS (CPU miniature: batch 256)."));
        command.Subcommands.Add(Protocol(console, "fewshot", FrozenProtocol.FewShot, "N-way K-shot episodes with a prototype classifier on the test split's frozen features."));
        command.Subcommands.Add(RobustnessCommand.Robustness(console));
        command.Subcommands.Add(RobustnessCommand.Degradation(console));
        return command;
    }

    static Command Protocol(CliConsole console, string name, FrozenProtocol protocol, string description)
    {
        var encoder = new Option<string>("--encoder") { Description = "A pre-training run folder, a weights file (.pth of the official MFM code, timm or torchvision; .safetensors; .npz), or 'random' (a fresh encoder of --model, seeded by --seed)", Required = true };
        var model = Options.Choice("--model", "A random encoder's architecture", "vit-t", Models.ModelCatalog.Names.ToArray());
        var imageSize = Options.Integer("--image-size", "A random encoder's input side", 32, 8, 4096);
        var patchSize = Options.Integer("--patch-size", "A random encoder's patch size", 8, 1, 64);
        var depth = new Option<int?>("--depth") { Description = "A random encoder's blocks", DefaultValueFactory = _ => 6 };
        var data = new Option<string>("--data") { Description = "'synthetic' or a data-manifests/*.json file", DefaultValueFactory = _ => "synthetic" };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Local copy of the manifest's data set (default: its default_root)" };
        var readout = new Option<string>("--readout") { Description = "What is read: patch-mean or cls, optionally @BLOCK (e.g. cls@6)", DefaultValueFactory = _ => "patch-mean" };
        var cropRatio = Options.Number("--crop-ratio", "Evaluation crop: resize to size / ratio, crop the centre (paper scale 0.875)", 1, 0, minExclusive: true, max: 1);
        var part = Options.Choice("--part", "FOLK runs: which backbone", "exported", "exported", "student", "teacher");
        var device = Options.Choice("--device", "Where to run", "cpu", "cpu", "cuda");
        var threads = Options.Integer("--threads", "CPU threads", Environment.ProcessorCount, 1, 1024);
        var seed = new Option<long>("--seed") { Description = "Seed (random encoder, label fraction, probe head, episodes)", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for result.json", Required = true };
        var command = new Command(name, description) { encoder, model, imageSize, patchSize, depth, data, root, readout, cropRatio, part, device, threads, seed, output };

        Option<double?>? fraction = null;
        Option<int>? ways = null, shots = null, queries = null, episodes = null, k = null, epochs = null, batch = null;
        if (protocol == FrozenProtocol.FewShot)
        {
            ways = Options.Integer("--ways", "N, classes per episode", 5, 2);
            shots = Options.Integer("--shots", "K, labelled images per class", 5, 1);
            queries = Options.Integer("--queries", "Query images per class", 15, 1);
            episodes = Options.Integer("--episodes", "Episodes", 600, 1);
            foreach (var o in new[] { ways, shots, queries, episodes }) command.Options.Add(o);
        }
        else
        {
            fraction = new Option<double?>("--label-fraction") { Description = "Fit on this class-balanced fraction of the training labels (0.01 = 1 %)" };
            command.Options.Add(fraction);
        }
        if (protocol == FrozenProtocol.Knn)
        {
            k = Options.Integer("--k", "Neighbours (DINO: 20)", 20, 1);
            command.Options.Add(k);
        }
        if (protocol == FrozenProtocol.Linear)
        {
            epochs = Options.Integer("--epochs", "Epochs (MAE: 90)", 90, 1);
            batch = Options.Integer("--batch-size", "Features per iteration (MAE: 16384; CPU miniature: 256)", 256, 1);
            command.Options.Add(epochs);
            command.Options.Add(batch);
        }

        command.SetAction(p =>
        {
            TorchSharp.torch.set_num_threads(p.GetValue(threads));
            var options = new FrozenEvaluationOptions
            {
                Protocol = protocol, Readout = FeatureReadout.Parse(p.GetValue(readout)!), LabelFraction = fraction is null ? null : p.GetValue(fraction),
                Architecture = (p.GetValue(model)!, p.GetValue(imageSize), p.GetValue(patchSize), p.GetValue(depth)),
                CropRatio = p.GetValue(cropRatio), Seed = p.GetValue(seed), Device = p.GetValue(device)!,
                Part = p.GetValue(part) switch { "student" => EncoderPart.Student, "teacher" => EncoderPart.Teacher, _ => EncoderPart.Exported },
            };
            if (k is not null) options = options with { Knn = options.Knn with { K = p.GetValue(k) } };
            if (epochs is not null) options = options with { Linear = options.Linear with { Epochs = p.GetValue(epochs), BatchSize = p.GetValue(batch!) } };
            if (ways is not null)
                options = options with { FewShot = new FewShotOptions { Ways = p.GetValue(ways), Shots = p.GetValue(shots!), Queries = p.GetValue(queries!), Episodes = p.GetValue(episodes!) } };
            var encoderArg = p.GetValue(encoder)!;
            int size = encoderArg == Evaluation.Finetuning.Finetune.Random ? p.GetValue(imageSize) : IPretrainedEncoder.Open(encoderArg).ImageSize;
            var labelled = LabelledDataSource.Open(p.GetValue(data)!, p.GetValue(root)?.FullName, size);
            console.Out.WriteLine($"eval {name}: {encoderArg} on {labelled.Name} ({labelled.Train.Count:N0} train, {labelled.Test.Count:N0} test), readout {options.Readout}, seed {options.Seed}");
            var result = FrozenEvaluation.Run(encoderArg, labelled, p.GetValue(output)!.FullName, options);
            console.Out.WriteLine($"{result.Setting}: {string.Join(", ", result.Metrics.Select(m => $"{m.Key} {m.Value:0.####}"))}; {result.Seconds:F0} s; {Path.Combine(p.GetValue(output)!.FullName, EvaluationResult.FileName)}");
            console.Out.WriteLine(protocol == FrozenProtocol.FewShot ? $"accuracy {result.Value:P2} ± {result.Metrics["ci95"]:P2}" : $"top-1 {result.Value:P2}");
            return 0;
        });
        return command;
    }
}
