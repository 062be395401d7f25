using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Models;
using Folk.Lab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Finetuning;

/// <summary>A labelled data set for a downstream protocol.</summary>
/// <param name="Train">The training split (all of it; a label fraction is drawn from it).</param>
/// <param name="Test">The split scored.</param>
/// <param name="Name">What results record ("fashion-mnist", "synthetic", a manifest's name).</param>
/// <param name="Classes">Number of classes.</param>
public sealed record LabelledData(IImageDataset Train, IImageDataset Test, string Name, int Classes)
{
    /// <summary>The share of the data set's labelled training images that <see cref="Train"/> holds when it is a fixed
    /// label subset (SimCLR's ImageNet lists: 0.01, 0.1; <see cref="LabelledDataSource.WithLabelSubset"/>); null when
    /// it is the whole training split.</summary>
    public double? TrainShare { get; init; }
}

/// <summary>Settings of a fine-tuning run that are not the recipe.</summary>
public sealed record FinetuneOptions
{
    /// <summary>Keep this class-balanced fraction of the training labels (null = all): FOLK's 1 % / 10 % rows.</summary>
    public double? LabelFraction { get; init; }

    /// <summary>Which backbone of a FOLK run to start from.</summary>
    public EncoderPart Part { get; init; } = EncoderPart.Exported;

    /// <summary>Decoding threads.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The row a randomly initialised encoder's result belongs to (<see cref="EncoderSource.Method"/>): "supervised"
    /// (the default: a model trained from scratch with labels, under its own recipe) or "random" (the random-init
    /// control: a fresh encoder fine-tuned under the very recipe the pre-trained ones get, so that only the
    /// initialisation differs). MFM's tables (arXiv 2206.07706) set pre-training against from-scratch training; notebook
    /// 09 shows both rows. Ignored for a pre-trained encoder.
    /// </summary>
    public string RandomEncoderMethod { get; init; } = "supervised";

    /// <summary>
    /// The processes of a data-parallel fine-tuning (default: this process alone): each trains on its share of every
    /// step's batch of <see cref="FinetuneRecipe.BatchSize"/> per process, and rank 0 evaluates and writes the result.
    /// Mixup and CutMix mix within each process's batch, as timm's do under DDP, and ResNet-50's BatchNorm normalises
    /// each process's batch (no SyncBatchNorm, timm's default), so P processes × b is the recipe the official code runs
    /// on P GPUs, not bit for bit one process with P·b.
    /// </summary>
    public Distributed.IProcessGroup? Group { get; init; }
}

/// <summary>
/// End-to-end fine-tuning of a pre-trained encoder (or, from a random initialisation, the supervised baseline) as MFM's
/// main_finetune.py runs it: the fine-tuning form of the architecture (mean pooling → fresh fc_norm → fresh head for a
/// ViT, timm's fc for a ResNet) loaded under the reference's rules (<see cref="PretrainedRun"/>), trained by the
/// <see cref="Trainer"/> with layer-wise rate decay and the recipe's augmentation (resumable from the run folder's
/// checkpoints), then scored top-1 / top-5 on the test split; <c>result.json</c> is written at the end.
/// </summary>
/// <remarks>The reported accuracy is the final epoch's. The official log also prints the best top-1 over epochs, which
/// selects on the test set; Folk.Lab does not report it.</remarks>
public static class Finetune
{
    /// <summary>The encoder argument that means "a fresh, randomly initialised encoder of the same architecture".</summary>
    public const string Random = "random";

    static readonly JsonSerializerOptions Json = new() { IncludeFields = true, WriteIndented = false };

    /// <summary>
    /// Fine-tunes <paramref name="encoder"/> (a pre-training run folder or <see cref="Random"/>) on
    /// <paramref name="data"/> into <paramref name="runFolder"/>. Returns the result, or null when cancelled (the
    /// same call resumes). In a data-parallel job (<see cref="FinetuneOptions.Group"/>) the other ranks return null
    /// once training is done: rank 0 evaluates and writes the result.
    /// </summary>
    public static EvaluationResult? Run(FinetuneRecipe recipe, string encoder, LabelledData data, string runFolder, FinetuneOptions? options = null,
        ITrainingCallbacks? callbacks = null, CancellationToken cancellation = default)
    {
        options ??= new FinetuneOptions();
        var clock = Stopwatch.StartNew();
        IPretrainedEncoder? pretrained = encoder == Random ? null : IPretrainedEncoder.Open(encoder);
        if (pretrained is not null)
            recipe = recipe.AdaptedTo(pretrained);
        var trainerConfig = recipe.Trainer with { RunFolder = runFolder };
        var device = Runtime.TorchDevices.Resolve(trainerConfig.Device);

        manual_seed(trainerConfig.Seed);                                      // the head's (and a random encoder's) initialisation
        var classifier = ModelCatalog.CreateClassifier(recipe.Model, recipe.ImageSize, data.Classes, recipe.PatchSize, recipe.DropPath, recipe.Depth);
        if (options.RandomEncoderMethod is not ("supervised" or "random"))
            throw new ArgumentException($"RandomEncoderMethod must be \"supervised\" or \"random\"; got \"{options.RandomEncoderMethod}\".", nameof(options));
        var source = pretrained?.LoadInto(classifier, options.Part) ?? new EncoderSource(Random, null, null, options.RandomEncoderMethod, recipe.Model);
        classifier.to(device);

        var train = options.LabelFraction is { } fraction ? LabelFraction.Of(data.Train, fraction, trainerConfig.Seed) : data.Train;
        var loader = new DataLoader(train, recipe.Augmentation.Training(recipe.ImageSize), new DataLoaderOptions
        {
            BatchSize = recipe.BatchSize, Seed = trainerConfig.Seed, Workers = options.Workers, DropLast = true, RepeatedAugmentations = recipe.RepeatedAugmentations,
            Share = options.Group is { } group ? new ProcessShare(group.Rank, group.WorldSize) : ProcessShare.Whole,
        });
        if (loader.BatchesPerEpoch == 0)
            throw new ArgumentException($"{train.Count} training images make no batch of {recipe.BatchSize}: lower the batch size or raise the label fraction.");
        var config = Describe(recipe, options, data, train.Count);
        var description = new JsonObject { ["protocol"] = "finetune", ["encoder"] = JsonSerializer.SerializeToNode(source), ["recipe"] = config };
        var objective = new ClassificationObjective(pretrained is null ? "supervised" : "finetune", classifier, data.Classes, recipe.Augmentation, recipe.BinaryCrossEntropy);
        var trainer = new Trainer(objective, loader, trainerConfig, callbacks, description, device, group: options.Group);
        var result = trainer.Run(cancellation);
        if (!result.Completed || trainer.Group.Rank > 0) return null;

        var accuracy = ClassifierAccuracy.Evaluate(classifier, data.Test, recipe.Augmentation.Evaluation(recipe.EvaluationSize ?? recipe.ImageSize), device, workers: options.Workers);
        var evaluation = new EvaluationResult(
            "finetune", Setting(LabelledShare(options.LabelFraction, data)), config, source, data.Name, trainerConfig.Seed,
            new Dictionary<string, double> { ["top1"] = accuracy.Top1, ["top5"] = accuracy.Top5, ["train_images"] = train.Count, ["final_loss"] = result.FinalLoss ?? double.NaN },
            "top1", clock.Elapsed.TotalSeconds, device.ToString(), EvaluationResult.CurrentVersions(), DateTimeOffset.UtcNow);
        evaluation.Write(runFolder);
        return evaluation;
    }

    /// <summary>
    /// The optimiser's view of the fine-tuning model: one entry per parameter tensor, in the model's order, under the
    /// reference's names, with its learning-rate scale and weight decay (what <c>folk-lab finetune --describe-optimizer</c>
    /// prints, to compare with the official code's parameter-group log).
    /// </summary>
    public static IReadOnlyList<JsonObject> DescribeOptimizer(FinetuneRecipe recipe, int classes)
    {
        using var classifier = ModelCatalog.CreateClassifier(recipe.Model, recipe.ImageSize, classes, recipe.PatchSize, recipe.DropPath, recipe.Depth);
        var objective = new ClassificationObjective("finetune", classifier, classes, recipe.Augmentation, recipe.BinaryCrossEntropy);
        var groups = OptimizationStep.Groups(objective, recipe.Trainer);
        var byName = groups.SelectMany(g => g.Parameters.Select(p => (p.Name, g))).ToDictionary(p => p.Name, p => p.g);
        return classifier.named_parameters().Where(p => byName.ContainsKey(p.name)).Select(p => new JsonObject
        {
            ["name"] = p.name,
            ["shape"] = new JsonArray(p.parameter.shape.Select(d => JsonValue.Create(d)).ToArray<JsonNode?>()),
            ["lr_scale"] = byName[p.name].LearningRateScale,
            ["weight_decay"] = byName[p.name].WeightDecay,
        }).ToList();
    }

    /// <summary>The share of the data set's training labels a run sees: <paramref name="labelFraction"/> of
    /// <paramref name="data"/>'s training split, itself <see cref="LabelledData.TrainShare"/> of the labels (null: all).</summary>
    public static double? LabelledShare(double? labelFraction, LabelledData data) =>
        labelFraction is { } f ? f * (data.TrainShare ?? 1) : data.TrainShare;

    /// <summary>"fine-tune", or "fine-tune 1 %" with a label fraction.</summary>
    public static string Setting(double? labelFraction) =>
        labelFraction is { } f ? $"fine-tune {(f * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} %" : "fine-tune";

    static JsonObject Describe(FinetuneRecipe recipe, FinetuneOptions options, LabelledData data, int trainImages)
    {
        var node = JsonSerializer.SerializeToNode(recipe, Json)!.AsObject();
        node["LabelFraction"] = options.LabelFraction;
        if (data.TrainShare is { } share) node["TrainShare"] = share;        // only then: run folders written before it resume unchanged
        node["TrainImages"] = trainImages;
        node["Data"] = data.Name;
        node["Part"] = options.Part.ToString();
        return node;
    }
}
