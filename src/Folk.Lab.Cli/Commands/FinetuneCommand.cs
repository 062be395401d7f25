using System.CommandLine;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Training;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab finetune</c>: end-to-end fine-tuning of a pre-trained encoder, or of a random one (the supervised
/// baseline), with the official ViT recipe (<c>--preset official</c>) or the CPU miniature (<c>--preset miniature</c>,
/// the default), resumable from its run folder; writes result.json and prints top-1 as its last line.
/// </summary>
internal static class FinetuneCommand
{
    public static Command Create(CliConsole console)
    {
        var encoder = new Option<string>("--encoder") { Description = "A pre-training run folder, a weights file (.pth of the official MFM code, timm or torchvision; .safetensors; .npz), or 'random' (trained from scratch: the supervised baseline)", Required = true };
        var preset = Options.Choice("--preset", "Recipe: the CPU miniature (32², patch 8, depth 6); its from-scratch variant for the supervised sanity run (depth 4, flip only, no drop path, 6 epochs, bfloat16 products where the CPU has them); the official one (MFM's ViT fine-tuning; for resnet50, RSB A3, 100 epochs); or RSB A2 (resnet50, 300 epochs)", "miniature", "miniature", "scratch", "official", "rsb-a2");
        var model = Options.Choice("--model", "Architecture (a run's own when --encoder is a run)", "vit-t", Models.ModelCatalog.Names.ToArray());
        var data = new Option<string>("--data") { Description = "'synthetic' or a data-manifests/*.json file (e.g. data-manifests/fashion-mnist.json)", DefaultValueFactory = _ => "synthetic" };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Local copy of the manifest's data set (default: its default_root)" };
        var imageSize = new Option<int?>("--image-size") { Description = "Input side (default: the preset's; a run's own when --encoder is a run)" };
        var patchSize = new Option<int?>("--patch-size") { Description = "ViT patch size (default: the preset's)" };
        var depth = new Option<int?>("--depth") { Description = "ViT blocks (default: the preset's)" };
        var labels = new Option<string?>("--labels") { Description = "A label-subset manifest whose image list replaces the training split: data-manifests/imagenet-1k-1pct.json or -10pct.json (SimCLR's 1 % and 10 % lists; the images under --root)" };
        var fraction = new Option<double?>("--label-fraction") { Description = "Train on this class-balanced fraction of the labels (0.01 = 1 %)" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default: the preset's)" };
        var warmup = new Option<double?>("--warmup-epochs") { Description = "Warm-up epochs (default: the preset's)" };
        var batch = new Option<int?>("--batch-size") { Description = "Images per iteration (default: the preset's)" };
        var lr = new Option<double?>("--lr") { Description = "Base learning rate per 512 images (default: the preset's 2e-3)" };
        var layerDecay = new Option<double?>("--layer-decay") { Description = "Layer-wise rate decay (default: the preset's 0.8 for a pre-trained encoder; 1 for --encoder random, which trains from scratch as DeiT does)" };
        var part = Options.Choice("--part", "FOLK runs: which backbone to start from", "exported", "exported", "student", "teacher");
        var syntheticTrain = Options.Integer("--synthetic-train", "Synthetic training images", 5000, 10);
        var device = Options.Choice("--device", "Where to train", "cpu", "cpu", "cuda");
        var cpuPrecision = new Option<string?>("--cpu-precision") { Description = "Matrix products on the CPU: float32, or bfloat16 where the CPU multiplies it natively (AVX-512 BF16 or AMX; float32 elsewhere) (default: the preset's: bfloat16 for scratch, float32 otherwise)" };
        cpuPrecision.AcceptOnlyFromAmong("float32", "bfloat16");
        var threads = Options.Integer("--threads", "CPU threads", Environment.ProcessorCount, 1, 1024);
        var workers = Options.Integer("--workers", "Decoding threads", Environment.ProcessorCount, 1);
        var seed = new Option<long>("--seed") { Description = "Seed of the head, the data order, the augmentation and the label fraction", DefaultValueFactory = _ => 0 };
        var randomAs = Options.Choice("--random-as", "The table row of --encoder random: supervised (trained from scratch with labels) or random (the random-init control, fine-tuned under a pre-trained encoder's recipe)", "supervised", "supervised", "random");
        var describe = new Option<bool>("--describe-optimizer") { Description = "Print one JSON line per parameter tensor (name, shape, lr_scale, weight_decay) and exit" };
        var distributed = new Option<bool>("--distributed") { Description = "Data-parallel over the processes of a launch (mpirun -n N or srun; on GPUs also torchrun): --batch-size images per process, rank 0 evaluates and writes the run folder" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder (config.json, metrics, checkpoints/, result.json)" };
        var command = new Command("finetune", "Fine-tune an encoder end to end (or train one from scratch with labels) and score top-1 / top-5.")
        {
            encoder, preset, model, data, root, imageSize, patchSize, depth, labels, fraction, epochs, warmup, batch, lr, layerDecay, part, syntheticTrain,
            device, cpuPrecision, threads, workers, seed, randomAs, describe, distributed, output,
        };
        command.SetAction((p, cancellation) => Task.FromResult(Run(p, cancellation)));
        return command;

        int Run(ParseResult p, CancellationToken cancellation)
        {
            TorchSharp.torch.set_num_threads(p.GetValue(threads));
            string modelName = p.GetValue(model)!, encoderArg = p.GetValue(encoder)!;
            var recipe = p.GetValue(preset) switch
            {
                "official" => FinetunePresets.For(modelName),
                "rsb-a2" => modelName == "resnet50" ? FinetunePresets.ResNet50A2 : throw new ArgumentException($"--preset rsb-a2 is a ResNet-50 recipe; the model is {modelName}."),
                "scratch" => FinetunePresets.MiniatureFromScratch(modelName),
                _ => FinetunePresets.Miniature(modelName),
            };
            if (encoderArg != Finetune.Random) recipe = recipe.AdaptedTo(IPretrainedEncoder.Open(encoderArg));
            recipe = recipe with
            {
                ImageSize = p.GetValue(imageSize) ?? recipe.ImageSize, PatchSize = p.GetValue(patchSize) ?? recipe.PatchSize, Depth = p.GetValue(depth) ?? recipe.Depth,
                BatchSize = p.GetValue(batch) ?? recipe.BatchSize,
                Trainer = recipe.Trainer with
                {
                    Epochs = p.GetValue(epochs) ?? recipe.Trainer.Epochs, WarmupEpochs = p.GetValue(warmup) ?? recipe.Trainer.WarmupEpochs,
                    BaseLearningRate = p.GetValue(lr) ?? recipe.Trainer.BaseLearningRate, LayerDecay = p.GetValue(layerDecay) ?? (encoderArg == Finetune.Random ? 1.0 : recipe.Trainer.LayerDecay),
                    Seed = p.GetValue(seed), Device = Distributed.ProcessGroups.DeviceFor(p.GetValue(device)!, p.GetValue(distributed)),
                    CpuMixedPrecision = p.GetValue(cpuPrecision) is { } precision ? precision == "bfloat16" : recipe.Trainer.CpuMixedPrecision,
                },
            };
            var labelled = LabelledDataSource.Open(p.GetValue(data)!, p.GetValue(root)?.FullName, recipe.ImageSize, p.GetValue(syntheticTrain));
            if (p.GetValue(labels) is { } subset) labelled = LabelledDataSource.WithLabelSubset(labelled, subset, p.GetValue(root)?.FullName);
            if (p.GetValue(describe))
            {
                foreach (var line in Finetune.DescribeOptimizer(recipe, labelled.Classes)) console.Out.WriteLine(line.ToJsonString());
                return 0;
            }
            var folder = p.GetValue(output)?.FullName ?? throw new ArgumentException("--out is required (the run folder).");
            using var group = p.GetValue(distributed) ? Distributed.ProcessGroups.Join(Runtime.TorchDevices.Resolve(recipe.Trainer.Device)) : null;
            var io = group is { Rank: > 0 } ? new CliConsole(TextWriter.Null, TextWriter.Null) : console;   // rank 0 speaks for the job
            var options = new FinetuneOptions
            {
                Group = group,
                LabelFraction = p.GetValue(fraction), Workers = p.GetValue(workers), RandomEncoderMethod = p.GetValue(randomAs)!,
                Part = p.GetValue(part) switch { "student" => EncoderPart.Student, "teacher" => EncoderPart.Teacher, _ => EncoderPart.Exported },
            };
            io.Out.WriteLine($"finetune {encoderArg} ({recipe.Model}, {recipe.ImageSize}², patch {recipe.PatchSize}, depth {recipe.Depth}) on {labelled.Name}" +
                                  $"{(Finetune.LabelledShare(options.LabelFraction, labelled) is { } f ? $" with {f:P0} of the labels" : "")}: {recipe.Trainer.Epochs} epochs, batch {recipe.BatchSize}, " +
                                  $"layer decay {recipe.Trainer.LayerDecay}; run folder {folder}");
            var progress = new ConsoleTrainingProgress(io.Error, redraw: ReferenceEquals(io.Error, Console.Error) && !Console.IsErrorRedirected);
            try
            {
                var result = Finetune.Run(recipe, encoderArg, labelled, folder, options, progress, cancellation);
                progress.Close();
                if (group is { Rank: > 0 }) return 0;                          // rank 0 reports, evaluates and writes
                if (result is null)
                {
                    io.Out.WriteLine("stopped; run the same command to continue");
                    return 130;
                }
                io.Out.WriteLine($"top-5 {result.Metrics["top5"]:P2} on {result.Metrics.GetValueOrDefault("train_images"):N0} training images, {result.Seconds:F0} s; {Path.Combine(folder, EvaluationResult.FileName)}");
                io.Out.WriteLine($"top-1 {result.Value:P2}");
                return 0;
            }
            catch (RunFolderMismatchException e)
            {
                progress.Close();
                io.Error.WriteLine($"folk-lab finetune: {e.Message}");
                return FolkLabCommand.UsageError;
            }
        }
    }
}
