using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Runtime;
using Folk.Lab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Experiments;

/// <summary>How a run reads its data, besides the recipe.</summary>
public sealed record PretrainingRunOptions
{
    /// <summary>Decoding threads (default: every core).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Unreadable images (default: fail naming the file).</summary>
    public CorruptImagePolicy CorruptImages { get; init; } = CorruptImagePolicy.Fail;

    /// <summary>The processes of a data-parallel job (default: this process alone). Each loads its share of every step's
    /// batch of <see cref="PretrainingRecipe.BatchSize"/> per process.</summary>
    public Distributed.IProcessGroup? Group { get; init; }
}

/// <summary>
/// A pre-training run, assembled from a recipe and a data set in one place (<see cref="Assemble"/>): the CLI, the
/// probe experiment, the benchmarks and the notebooks all build their runs here, so that a method, a seed or a device
/// means the same everywhere.
/// </summary>
public sealed class PretrainingRun
{
    /// <summary>The recipe the run was built from.</summary>
    public PretrainingRecipe Recipe { get; }

    /// <summary>Where it runs (resolved once from the recipe's <see cref="TrainerConfig.Device"/>).</summary>
    public Device Device { get; }

    /// <summary>The method, on <see cref="Device"/>.</summary>
    public IPretrainingMethod Method { get; }

    /// <summary>The loader: the data set through the method's augmentation, seeded with the run's seed.</summary>
    public DataLoader Loader { get; }

    /// <summary>The trainer over the run folder <see cref="TrainerConfig.RunFolder"/>.</summary>
    public Trainer Trainer { get; }

    /// <summary>What config.json records of the experiment (the encoder, the method's settings, the data).</summary>
    public JsonObject Description { get; }

    PretrainingRun(PretrainingRecipe recipe, Device device, IPretrainingMethod method, DataLoader loader, Trainer trainer, JsonObject description)
    {
        Recipe = recipe;
        Device = device;
        Method = method;
        Loader = loader;
        Trainer = trainer;
        Description = description;
    }

    /// <summary>
    /// Builds the run that <paramref name="recipe"/> describes on <paramref name="data"/>: resolves the device; builds
    /// the loader with the method's augmentation and the recipe's batch and seed; seeds torch's global RNG with the
    /// same seed and builds the method (its encoders from <see cref="ModelCatalog"/>, knowing the run's length) on the
    /// device; and creates the trainer, which records the description in config.json and resumes the run folder when
    /// it holds the same run. Nothing is trained or written until <see cref="Trainer.Run"/>.
    /// </summary>
    /// <param name="recipe">The run; <see cref="TrainerConfig.RunFolder"/> must be set.</param>
    /// <param name="data">The training images.</param>
    /// <param name="dataName">What config.json records as the data ("synthetic", a manifest's path).</param>
    /// <param name="callbacks">Progress, metrics and checkpoint notifications.</param>
    /// <param name="options">Loader settings that do not change what is trained.</param>
    public static PretrainingRun Assemble(PretrainingRecipe recipe, IImageDataset data, string dataName, ITrainingCallbacks? callbacks = null, PretrainingRunOptions? options = null)
    {
        options ??= new PretrainingRunOptions();
        var trainer = recipe.Trainer;
        var device = TorchDevices.Resolve(trainer.Device);
        var loader = new DataLoader(data, recipe.Method.Augmentation(recipe.ImageSize), new DataLoaderOptions
        {
            BatchSize = recipe.BatchSize, Seed = trainer.Seed, Workers = options.Workers, CorruptImages = options.CorruptImages,
            Share = options.Group is { } group ? new ProcessShare(group.Rank, group.WorldSize) : ProcessShare.Whole,
        });
        manual_seed(trainer.Seed);                                                   // the encoders' initialisation
        var context = new MethodContext(() => ModelCatalog.Create(recipe.Model, recipe.ImageSize, recipe.PatchSize, depth: recipe.Depth), recipe.ImageSize, trainer.Epochs);
        var method = recipe.Method.Build(context);
        method.Checkpointed.to(device);
        var description = Describe(recipe, dataName);
        return new PretrainingRun(recipe, device, method, loader, new Trainer(method, loader, trainer, callbacks, description, device,
            recipe.Method.ExportSettings.Select(setting => $"experiment.{setting}"), options.Group), description);
    }

    /// <summary>config.json's "experiment": the method's name, the encoder and the input, the method's own
    /// description (<see cref="MethodConfig.Describe"/>) and the data.</summary>
    public static JsonObject Describe(PretrainingRecipe recipe, string dataName)
    {
        var description = new JsonObject
        {
            ["Method"] = recipe.Method.Name,
            ["Model"] = recipe.Model,
            ["ImageSize"] = recipe.ImageSize,
            ["PatchSize"] = recipe.PatchSize,
            ["Depth"] = recipe.Depth,
        };
        foreach (var (key, value) in recipe.Method.Describe(recipe.ImageSize))
            description[key] = value?.DeepClone();
        description["data"] = dataName;
        return description;
    }
}
