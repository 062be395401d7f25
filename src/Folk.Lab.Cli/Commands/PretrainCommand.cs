using System.CommandLine;
using Folk.Lab.Data;
using Folk.Lab.Data.Manifests;
using Folk.Lab.Experiments;
using Folk.Lab.Frequency;
using Folk.Lab.Losses;
using Folk.Lab.Masks;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab pretrain</c>: MFM, a restoration baseline or FOLK from its recipe (official for MFM; for FOLK,
/// MFM's recipe with DINO's teacher settings, as FOLK's own were not published), on synthetic or real data; running
/// the same command again resumes the run from its newest valid checkpoint.
/// </summary>
internal static class PretrainCommand
{
    /// <summary>Exit code when the loss stops being finite.</summary>
    public const int NonFinite = 3;

    public static Command Create(CliConsole console)
    {
        var method = Options.Choice("--method", "Pre-training method", "mfm", MethodRegistry.Default.Names.ToArray());
        var model = Options.Choice("--model", "Encoder", "vit-b", ModelCatalog.Names.ToArray());
        var data = new Option<string>("--data") { Description = "'synthetic' (built-in images) or a data-manifests/*.json file", DefaultValueFactory = _ => "synthetic" };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Local copy of the manifest's data set (default: the manifest's default_root)" };
        var epochs = Options.Integer("--epochs", "Epochs (official: 300)", 300, 1);
        var batch = Options.Integer("--batch-size", "Images per iteration on this device (official: 128 per GPU, 16 GPUs)", 128, 1);
        var accumulation = Options.Integer("--accumulation", "Iterations per optimiser step (16 × 128 reaches the official 2048)", 1, 1);
        var imageSize = Options.Integer("--image-size", "Input side in pixels (official: 224); mask radii scale with it", 224, 16, 4096);
        var patchSize = new Option<int?>("--patch-size") { Description = "ViT patch size (default 16)" };
        var depth = new Option<int?>("--depth") { Description = "ViT blocks (default 12; fewer for smoke runs)" };
        var lr = Options.Number("--lr", "Base learning rate per 512 images (official: 3e-4)", 3e-4, 0, minExclusive: true);
        var warmup = Options.Number("--warmup-epochs", "Warm-up epochs (official: 20)", 20, 0, minExclusive: false);
        var device = Options.Choice("--device", "Where to train", "cpu", "cpu", "cuda");
        var seed = new Option<long>("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 0 };
        var count = Options.Integer("--synthetic-count", "Images in the synthetic data set", 20_000, 1);
        var every = new Option<int?>("--checkpoint-every") { Description = "Also checkpoint every N iterations (default: every 10 epochs and at the end)" };
        var keep = Options.Integer("--keep-checkpoints", "Checkpoints kept", 3, 1);
        var log = Options.Integer("--log-every", "Metrics every N iterations", 10, 1);
        var workers = Options.Integer("--workers", "Decoding threads", Environment.ProcessorCount, 1);
        var skipCorrupt = new Option<bool>("--skip-corrupt") { Description = "Leave unreadable images out (and report them) instead of stopping" };
        var distillWeight = Options.Number("--distill-weight", "FOLK: λ, the distillation weight (default 1; 0 leaves only the two-view reconstruction)", 1.0, 0, minExclusive: false);
        var prototypes = Options.Integer("--prototypes", "FOLK: K, outputs of the projection head (DINO: 65536)", 65536, 2);
        var localCrops = Options.Integer("--local-crops", "FOLK: DINO local crops per image (default 0: two global views only)", 0, 0, 64);
        var filter = Options.Choice("--filter", "FOLK: informed Com/RCom filters or MFM's radial masks (ablation)", "informed", "informed", "radial");
        var sizeScaling = Options.Choice("--size-scaling", "sr, deblur, denoise and FOLK's view blur: how their 224² pixel settings carry over to --image-size (matched-energy: the same share of spectral energy; proportional: × size/224; none: the 224² pixels)", "matched-energy", "matched-energy", "proportional", "none");
        var tauReading = Options.Choice("--tau-reading", "FOLK: what τ ∈ {0.005, 0.01, 0.05} means, the riskiest reading of the paper (ablation: run both)", "keep-fraction", "keep-fraction", "magnitude-fraction");
        var export = Options.Choice("--export", "FOLK: backbone exported for downstream use (auto: the teacher once under 1 % of its initial weights is left, else the student)", "auto", "auto", "teacher", "student");
        var maskRadius = Options.Number("--mask-radius", "MFM: r1, the mask radius in cycles per image at 224² (official: 16); scaled to --image-size", 16, 0, minExclusive: true);
        var lowPass = new Option<double?>("--p-low") { Description = "MFM: p_low, the probability of a low-pass mask (official: 0.5 for ViTs, 0.3 for ResNet-50; 1 = low-pass only, 0 = high-pass only)" };
        var lossGamma = Options.Number("--loss-gamma", "MFM: γ, the exponent of the frequency loss's distance (official: 1)", 1.0, 0, minExclusive: true);
        var focal = Options.Choice("--focal", "MFM: Focal Frequency Loss's spectrum weight (official: off)", "off", "off", "per-image", "per-batch");
        var target = Options.Choice("--target", "MFM: the frequencies the loss compares (official: masked, the removed ones; all: every frequency)", "masked", "masked", "all");
        var comProbability = new Option<double?>("--com-probability") { Description = "FOLK: probability that a view gets a Com filter, else RCom (default 0.5; 1 = Com only, 0 = RCom only)" };
        var distributed = new Option<bool>("--distributed") { Description = "Data-parallel over the processes of a launch (mpirun -n N or srun; on GPUs also torchrun): --batch-size images per process, rank 0 writes the run folder" };
        var threads = new Option<int?>("--threads") { Description = "Compute threads (default: every core; with --distributed, the node's cores shared among its processes, unless OMP_NUM_THREADS is set)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder (config.json, metrics.jsonl/csv, checkpoints/)", Required = true };

        var command = new Command("pretrain", "Pre-train an encoder with MFM or a restoration baseline (resumes when run again).")
        {
            method, model, data, root, epochs, batch, accumulation, imageSize, patchSize, depth, lr, warmup, device, seed, count, every, keep, log, workers, skipCorrupt,
            sizeScaling, maskRadius, lowPass, lossGamma, focal, target, distillWeight, prototypes, localCrops, filter, tauReading, comProbability, export, distributed, threads, output,
        };
        command.SetAction((p, cancellation) => Task.FromResult(Run(p, cancellation)));
        return command;

        int Run(ParseResult p, CancellationToken cancellation)
        {
            var modelName = p.GetValue(model)!;
            var settings = MethodRegistry.Default.For(p.GetValue(method)!, modelName);
            var scaling = p.GetValue(sizeScaling) switch { "proportional" => SizeScaling.Proportional, "none" => SizeScaling.None, _ => SizeScaling.MatchedEnergy };
            settings = settings switch
            {
                SuperResolutionConfig sr => sr with { SizeScaling = scaling },
                DeblurConfig blur => blur with { SizeScaling = scaling },
                DenoiseConfig noise => noise with { SizeScaling = scaling },
                FolkConfig f => f with { SizeScaling = scaling },
                _ => settings,
            };
            var mfmOnly = new Option[] { maskRadius, lowPass, lossGamma, focal, target }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (mfmOnly.Count > 0 && settings is not MfmConfig)
                throw new ArgumentException($"{string.Join(", ", mfmOnly)}: MFM's settings; --method {settings.Name} does not use them.");
            if (p.GetValue(comProbability) is not null && settings is not FolkConfig)
                throw new ArgumentException($"--com-probability: a FOLK setting; --method {settings.Name} does not use it.");
            if (settings is MfmConfig mfm)
                settings = mfm with
                {
                    Masks = mfm.Masks with { Radius1 = p.GetValue(maskRadius), LowPassProbability = p.GetValue(lowPass) ?? mfm.Masks.LowPassProbability },
                    Loss = mfm.Loss with
                    {
                        Gamma = p.GetValue(lossGamma),
                        Focal = p.GetValue(focal) switch { "per-image" => FocalWeighting.PerImage, "per-batch" => FocalWeighting.PerBatch, _ => FocalWeighting.Off },
                    },
                    Target = p.GetValue(target) == "all" ? ReconstructionTarget.AllFrequencies : ReconstructionTarget.MaskedFrequencies,
                };
            if (settings is FolkConfig folk)
            {
                var masks = folk.WithTauReading(p.GetValue(tauReading) == "magnitude-fraction" ? ComThreshold.MagnitudeFraction : ComThreshold.KeepFraction).Masks;
                settings = folk with
                {
                    DistillationWeight = p.GetValue(distillWeight),
                    Head = folk.Head with { OutputDim = p.GetValue(prototypes) },
                    Views = folk.Views with { LocalCrops = p.GetValue(localCrops) },
                    Filter = p.GetValue(filter) == "radial" ? FolkFilter.Radial : FolkFilter.Informed,
                    Masks = masks with { ComProbability = p.GetValue(comProbability) ?? masks.ComProbability },
                    Export = p.GetValue(export) switch { "student" => FolkExport.Student, "teacher" => FolkExport.Teacher, _ => FolkExport.Auto },
                };
            }
            var recipe = new PretrainingRecipe
            {
                Method = settings, Model = modelName,
                ImageSize = p.GetValue(imageSize), PatchSize = p.GetValue(patchSize), Depth = p.GetValue(depth), BatchSize = p.GetValue(batch),
                Trainer = new TrainerConfig
                {
                    Epochs = p.GetValue(epochs), WarmupEpochs = p.GetValue(warmup), BaseLearningRate = p.GetValue(lr),
                    AccumulationSteps = p.GetValue(accumulation), Seed = p.GetValue(seed), CheckpointEverySteps = p.GetValue(every),
                    KeepCheckpoints = p.GetValue(keep), LogEverySteps = p.GetValue(log), Device = Distributed.ProcessGroups.DeviceFor(p.GetValue(device)!, p.GetValue(distributed)),
                    RunFolder = p.GetValue(output)!.FullName,
                },
            };

            var dataName = p.GetValue(data)!;
            var dataset = OpenData(dataName, p.GetValue(root), recipe, p.GetValue(count));
            var launch = Distributed.LaunchEnvironment.Current();
            if (p.GetValue(threads) is { } n) TorchSharp.torch.set_num_threads(Math.Max(1, n));
            else if (p.GetValue(distributed) && Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null)
                TorchSharp.torch.set_num_threads(launch.ThreadsPerProcess(Environment.ProcessorCount));
            using var group = p.GetValue(distributed) ? Distributed.ProcessGroups.Join(Runtime.TorchDevices.Resolve(recipe.Trainer.Device), launch) : null;
            var io = group is { Rank: > 0 } ? new CliConsole(TextWriter.Null, TextWriter.Null) : console;   // rank 0 speaks for the job
            var progress = new ConsoleTrainingProgress(io.Error, redraw: ReferenceEquals(io.Error, Console.Error) && !Console.IsErrorRedirected);
            var run = PretrainingRun.Assemble(recipe, dataset, dataName, progress, new PretrainingRunOptions
            {
                Workers = p.GetValue(workers), CorruptImages = p.GetValue(skipCorrupt) ? CorruptImagePolicy.Skip : CorruptImagePolicy.Fail, Group = group,
            });
            var trainer = run.Trainer;
            if (group is not null)
                io.Out.WriteLine($"data-parallel: {group.WorldSize} process(es) over {group.Backend}, {recipe.BatchSize} images each, global batch {run.Loader.GlobalBatch}, {TorchSharp.torch.get_num_threads()} thread(s) per process");
            io.Out.WriteLine($"pretrain {settings.Name} on {recipe.Model} ({run.Method.Encoder.parameters().Sum(x => x.numel()):N0} encoder parameters), " +
                                  $"{dataset.Count:N0} images, {run.Loader.BatchesPerEpoch:N0} iterations per epoch, {trainer.TotalSteps:N0} in all, peak lr {trainer.Schedule.Peak:0.00e+00}, device {recipe.Trainer.Device}");
            io.Out.WriteLine($"run folder: {trainer.RunFolder}");
            try
            {
                var result = trainer.Run(cancellation);
                progress.Close();
                io.Out.WriteLine(result.Completed && result.FinalLoss is null
                    ? $"nothing to do: the run already completed its {result.Steps:N0} iterations; checkpoint {result.LastCheckpoint}"
                    : result.Completed
                    ? $"done: {result.Steps:N0} iterations, final loss {result.FinalLoss:F4}; checkpoint {result.LastCheckpoint}"
                    : $"stopped at iteration {result.Steps:N0}; checkpoint {result.LastCheckpoint} (run the same command to continue)");
                io.Out.WriteLine($"exported encoder: {run.Method.ExportedEncoder}");
                if (group is { WorldSize: > 1 } && result.Elapsed > TimeSpan.Zero)
                    io.Out.WriteLine($"gradient averaging: {result.GradientAveraging.TotalSeconds:F2} s of {result.Elapsed.TotalSeconds:F1} s ({100 * result.GradientAveraging / result.Elapsed:F1} % of training, rank 0)");
                return result.Completed ? 0 : 130;
            }
            catch (RunFolderMismatchException e)
            {
                progress.Close();
                io.Error.WriteLine($"folk-lab pretrain: {e.Message}");
                return FolkLabCommand.UsageError;
            }
            catch (NonFiniteLossException e)
            {
                progress.Close();
                io.Error.WriteLine(e.Message);
                return NonFinite;
            }
        }
    }

    static IImageDataset OpenData(string data, DirectoryInfo? root, PretrainingRecipe recipe, int count)
    {
        if (data == "synthetic")
            return new SyntheticImages(new SyntheticImagesOptions { Size = recipe.ImageSize, Count = count, Seed = recipe.Trainer.Seed });
        if (!File.Exists(data))
            throw new FileNotFoundException($"--data {data}: not 'synthetic' and no such manifest file (see data-manifests/).", data);
        var manifest = ManifestReader.Read(data);
        if (root is null && manifest.DefaultRoot is null)
            throw new ArgumentException($"--data {data} needs --root, the folder holding the data set (the manifest gives no default_root).");
        int? padTo = manifest.Layout == ManifestLayout.FashionMnistIdx && recipe.ImageSize > Data.Readers.FashionMnistDataset.Side ? recipe.ImageSize : null;
        return ManifestDatasets.Open(manifest, root?.FullName, "train", padTo);     // as the downstream protocols read it
    }
}
