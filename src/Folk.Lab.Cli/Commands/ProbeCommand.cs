using System.CommandLine;
using Folk.Lab.Experiments;
using Folk.Lab.Masks;
using Folk.Lab.Methods;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab probe</c>: the learning-signal experiment. Each method pre-trains for the same wall-clock budget on
/// synthetic images, then its exported encoder is probed with DINO's k-NN and a linear classifier.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(CliConsole console)
    {
        var methods = new Option<string>("--methods") { Description = "Comma-separated: mfm, folk, folk-l0 (FOLK with λ = 0), folk-mag (FOLK with τ a magnitude threshold)", DefaultValueFactory = _ => "mfm,folk,folk-l0" };
        var model = Options.Choice("--model", "Encoder", "vit-t", Models.ModelCatalog.Names.ToArray());
        var imageSize = Options.Integer("--image-size", "Input side in pixels", 32, 16, 4096);
        var patchSize = Options.Integer("--patch-size", "ViT patch size", 4, 1, 64);
        var depth = new Option<int?>("--depth") { Description = "ViT blocks (default: the model's 12)" };
        var batch = Options.Integer("--batch-size", "Images per iteration", 64, 1);
        var budget = Options.Number("--budget-seconds", "Wall-clock pre-training budget per method", 120, 1, minExclusive: false);
        var lr = Options.Number("--lr", "Base learning rate per 512 images", 1.5e-3, 0, minExclusive: true);
        var prototypes = Options.Integer("--prototypes", "FOLK: K, outputs of the projection head", 4096, 2);
        var pretrainImages = Options.Integer("--pretrain-images", "Synthetic pre-training images", 4096, 16);
        var probeTrain = Options.Integer("--probe-train", "Labelled images the probes fit on", 2000, 10);
        var probeTest = Options.Integer("--probe-test", "Labelled images the probes are scored on", 1000, 10);
        var threads = Options.Integer("--threads", "CPU threads", Environment.ProcessorCount, 1, 1024);
        var seed = new Option<long>("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the runs (one sub-folder per method)", Required = true };
        var command = new Command("probe", "Pre-train each method for the same wall-clock budget, then compare k-NN and linear-probe accuracy.")
        {
            methods, model, imageSize, patchSize, depth, batch, budget, lr, prototypes, pretrainImages, probeTrain, probeTest, threads, seed, output,
        };
        command.SetAction(p =>
        {
            TorchSharp.torch.set_num_threads(p.GetValue(threads));
            var options = new ProbeExperimentOptions
            {
                Budget = TimeSpan.FromSeconds(p.GetValue(budget)), PretrainImages = p.GetValue(pretrainImages),
                ProbeTrainImages = p.GetValue(probeTrain), ProbeTestImages = p.GetValue(probeTest), Seed = p.GetValue(seed),
            };
            console.Out.WriteLine($"probe: {p.GetValue(model)} at {p.GetValue(imageSize)}² (patch {p.GetValue(patchSize)}), batch {p.GetValue(batch)}, {options.Budget.TotalSeconds:F0} s each, " +
                                  $"k-NN k = {options.Knn.K}, T = {options.Knn.Temperature}; linear probe {options.Linear.Steps} steps");
            console.Out.WriteLine($"  {"method",-8} {"steps",6} {"seconds",8} {"final loss",11} {"k-NN",7} {"linear",7}  probed");
            foreach (var name in p.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var recipe = Recipe(name, p.GetValue(model)!) with
                {
                    ImageSize = p.GetValue(imageSize), PatchSize = p.GetValue(patchSize), Depth = p.GetValue(depth), BatchSize = p.GetValue(batch),
                };
                recipe = recipe with
                {
                    Method = recipe.Method is FolkConfig folk ? folk with { Head = folk.Head with { OutputDim = p.GetValue(prototypes) } } : recipe.Method,
                    Trainer = recipe.Trainer with { BaseLearningRate = p.GetValue(lr), Seed = p.GetValue(seed), LogEverySteps = 10, CheckpointEveryEpochs = int.MaxValue },
                };
                var report = ProbeExperiment.Run(recipe, options, Path.Combine(p.GetValue(output)!.FullName, name));
                console.Out.WriteLine($"  {name,-8} {report.Steps,6} {report.Seconds,8:F0} {report.FinalLoss,11:F4} {report.KnnAccuracy,7:P1} {report.Linear.TestAccuracy,7:P1}  {report.Encoder}");
            }
            return 0;
        });
        return command;
    }

    static PretrainingRecipe Recipe(string name, string model) => name switch
    {
        "mfm" => MfmPresets.For("mfm", model),
        "folk" => FolkPresets.For(model),
        "folk-l0" => FolkPresets.For(model) is { Method: FolkConfig folk } recipe ? recipe with { Method = folk with { DistillationWeight = 0 } } : throw new InvalidOperationException(),
        "folk-mag" => FolkPresets.For(model, ComThreshold.MagnitudeFraction),
        _ => throw new ArgumentException($"--methods: unknown method '{name}'; use mfm, folk, folk-l0 or folk-mag."),
    };
}
