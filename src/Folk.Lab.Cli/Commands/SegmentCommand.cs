using System.CommandLine;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Segmentation;
using Folk.Lab.Training;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab segment</c>: UperNet on a pre-trained ViT (or a random one of the same architecture) trained for semantic
/// segmentation and scored in mIoU and pixel accuracy, with the official ADE20K recipe (<c>--preset official</c>) or the
/// CPU miniature on the synthetic images' per-pixel labels (<c>--preset miniature</c>, the default); resumable from its
/// run folder; writes result.json and prints the mIoU as its last line.
/// </summary>
internal static class SegmentCommand
{
    public static Command Create(CliConsole console)
    {
        var encoder = new Option<string>("--encoder") { Description = "A pre-training run folder or a weights file (.pth, .safetensors, .npz) of a ViT, or 'random' (a fresh ViT of the same architecture, seeded by --seed)", Required = true };
        var data = new Option<string>("--data") { Description = "'synthetic' (the built-in images' per-pixel labels) or a segmentation manifest (data-manifests/ade20k.json)", DefaultValueFactory = _ => "synthetic" };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Local copy of the manifest's data set (the ADEChallengeData2016 folder)" };
        var preset = Options.Choice("--preset", "Recipe: the CPU miniature (crops of the encoder's input size, UperNet 64 wide, 2,000 iterations) or the official one (MAE's ADE20K recipe: 512² crops, 160,000 iterations of 16)", "miniature", "miniature", "official");
        var model = Options.Choice("--model", "A random encoder's architecture (a run's own otherwise)", "vit-t", "vit-t", "vit-s", "vit-b");
        var imageSize = new Option<int?>("--image-size") { Description = "A random encoder's input size (default: the preset's: 32 miniature, 224 official)" };
        var patchSize = new Option<int?>("--patch-size") { Description = "A random encoder's patch size (default: the preset's: 8 miniature, 16 official)" };
        var depth = new Option<int?>("--depth") { Description = "A random encoder's blocks (default: the preset's: 6 miniature, 12 official)" };
        var iterations = new Option<long?>("--iterations") { Description = "Training iterations (default: the preset's)" };
        var warmup = new Option<long?>("--warmup-iterations") { Description = "Warm-up iterations (default: the preset's)" };
        var batch = new Option<int?>("--batch-size") { Description = "Images per iteration (default: the preset's 16)" };
        var lr = new Option<double?>("--lr") { Description = "Base learning rate per 512 images (default: the preset's; official 3.2e-3, i.e. 1e-4 at batch 16)" };
        var centreTokens = new Option<bool>("--centre-tokens") { Description = "Not in the papers, a diagnostic: subtract each image's mean token from the block outputs UperNet reads (what TokenStatistics calls the share between images)" };
        var layerDecay = new Option<double?>("--layer-decay") { Description = "Layer-wise rate decay of the backbone (default: the preset's 0.65, BEiT's and MAE's ADE20K recipe; 1 trains every block at the full rate)" };
        var part = Options.Choice("--part", "FOLK runs: which backbone to start from", "exported", "exported", "student", "teacher");
        var syntheticTrain = Options.Integer("--synthetic-train", "Synthetic training images", 2000, 2);
        var syntheticTest = Options.Integer("--synthetic-test", "Synthetic test images", 500, 1);
        var device = Options.Choice("--device", "Where to train", "cpu", "cpu", "cuda");
        var threads = Options.Integer("--threads", "CPU threads", Environment.ProcessorCount, 1, 1024);
        var workers = Options.Integer("--workers", "Decoding threads", Environment.ProcessorCount, 1);
        var seed = new Option<long>("--seed") { Description = "Seed of the heads, a random encoder, the data order and the augmentation", DefaultValueFactory = _ => 0 };
        var distributed = new Option<bool>("--distributed") { Description = "Data-parallel over the processes of a launch (mpirun -n N or srun; on GPUs also torchrun): --batch-size images per process, rank 0 evaluates and writes the run folder" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder (config.json, metrics, checkpoints/, result.json)", Required = true };
        var command = new Command("segment", "Semantic segmentation: UperNet on a pre-trained ViT, trained end to end and scored in mIoU (MFM §4, ADE20K).")
        {
            encoder, data, root, preset, model, imageSize, patchSize, depth, iterations, warmup, batch, lr, layerDecay, centreTokens, part, syntheticTrain, syntheticTest,
            device, threads, workers, seed, distributed, output,
        };
        command.SetAction((p, cancellation) => Task.FromResult(Run(p, cancellation)));
        return command;

        int Run(ParseResult p, CancellationToken cancellation)
        {
            TorchSharp.torch.set_num_threads(p.GetValue(threads));
            string encoderArg = p.GetValue(encoder)!;
            bool official = p.GetValue(preset) == "official";
            var run = encoderArg == SemanticSegmentation.Random ? null : IPretrainedEncoder.Open(encoderArg);
            SegmentationRecipe recipe;
            if (run is not null)
                recipe = (official ? SegmentationPresets.Official : SegmentationPresets.Miniature(run.Model, run.ImageSize, run.PatchSize ?? 16, run.Depth)).AdaptedTo(run);
            else
            {
                var basis = official ? SegmentationPresets.Official : SegmentationPresets.Miniature(p.GetValue(model)!);
                int size = p.GetValue(imageSize) ?? basis.ImageSize, patch = p.GetValue(patchSize) ?? basis.PatchSize ?? 16;
                int? blocks = p.GetValue(depth) ?? basis.Depth;
                recipe = official
                    ? basis with { Model = p.GetValue(model)!, ImageSize = size, PatchSize = patch, Depth = blocks }
                    : SegmentationPresets.Miniature(p.GetValue(model)!, size, patch, blocks);
            }
            recipe = recipe with
            {
                BatchSize = p.GetValue(batch) ?? recipe.BatchSize,
                Heads = recipe.Heads with { CentreTokens = p.GetValue(centreTokens) },
                Trainer = recipe.Trainer with
                {
                    Iterations = p.GetValue(iterations) ?? recipe.Trainer.Iterations, WarmupIterations = p.GetValue(warmup) ?? recipe.Trainer.WarmupIterations,
                    BaseLearningRate = p.GetValue(lr) ?? recipe.Trainer.BaseLearningRate,
                    LayerDecay = p.GetValue(layerDecay) ?? recipe.Trainer.LayerDecay,
                    Seed = p.GetValue(seed), Device = Distributed.ProcessGroups.DeviceFor(p.GetValue(device)!, p.GetValue(distributed)),
                },
            };
            var segmentation = SegmentationData.Open(p.GetValue(data)!, p.GetValue(root)?.FullName, recipe.Augmentation.CropSize, p.GetValue(syntheticTrain), p.GetValue(syntheticTest));
            var folder = p.GetValue(output)!.FullName;
            using var group = p.GetValue(distributed) ? Distributed.ProcessGroups.Join(Runtime.TorchDevices.Resolve(recipe.Trainer.Device)) : null;
            var io = group is { Rank: > 0 } ? new CliConsole(TextWriter.Null, TextWriter.Null) : console;   // rank 0 speaks for the job
            var options = new SegmentationOptions
            {
                Group = group,
                Workers = p.GetValue(workers),
                Part = p.GetValue(part) switch { "student" => EncoderPart.Student, "teacher" => EncoderPart.Teacher, _ => EncoderPart.Exported },
            };
            io.Out.WriteLine($"segment {encoderArg} ({recipe.Model}, patch {recipe.PatchSize}, depth {recipe.Depth}) on {segmentation.Name} " +
                                  $"({segmentation.Train.Count:N0} train, {segmentation.Test.Count:N0} test, {segmentation.Classes.Count} classes): crops {recipe.Augmentation.CropSize}², " +
                                  $"{recipe.Trainer.Iterations:N0} iterations of {recipe.BatchSize}, layer decay {recipe.Trainer.LayerDecay}, {recipe.Inference.Mode.ToString().ToLowerInvariant()} inference; run folder {folder}");
            var progress = new ConsoleTrainingProgress(io.Error, redraw: ReferenceEquals(io.Error, Console.Error) && !Console.IsErrorRedirected);
            try
            {
                var result = SemanticSegmentation.Run(recipe, encoderArg, segmentation, folder, options, progress, cancellation);
                progress.Close();
                if (group is { Rank: > 0 }) return 0;                          // rank 0 reports, evaluates and writes
                if (result is null)
                {
                    io.Out.WriteLine("stopped; run the same command to continue");
                    return 130;
                }
                io.Out.WriteLine($"pixel accuracy {result.Metrics["pixel_accuracy"]:P2}, mean accuracy {result.Metrics["mean_accuracy"]:P2} on {result.Metrics["test_images"]:N0} test images, " +
                                      $"{result.Seconds:F0} s; {Path.Combine(folder, EvaluationResult.FileName)}");
                io.Out.WriteLine($"mIoU {result.Value:P2}");
                return 0;
            }
            catch (RunFolderMismatchException e)
            {
                progress.Close();
                io.Error.WriteLine($"folk-lab segment: {e.Message}");
                return FolkLabCommand.UsageError;
            }
        }
    }
}
