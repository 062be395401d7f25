using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Data;
using Folk.Lab.Models;
using Folk.Lab.Models.Segmentation;
using Folk.Lab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>Settings of a segmentation run that are not the recipe.</summary>
public sealed record SegmentationOptions
{
    /// <summary>Which backbone of a FOLK run to start from.</summary>
    public EncoderPart Part { get; init; } = EncoderPart.Exported;

    /// <summary>Decoding threads.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>The processes of a data-parallel run (default: this process alone): each trains on its share of every
    /// step's batch, and rank 0 evaluates and writes the result. UperNet's BatchNorm layers normalise each process's
    /// batch: mmsegmentation's recipe uses SyncBN, which Folk.Lab does not have, so a run on P processes of b images
    /// normalises over b where the reference normalises over P·b.</summary>
    public Distributed.IProcessGroup? Group { get; init; }
}

/// <summary>
/// The semantic-segmentation protocol of MFM (arXiv 2206.07706, §4, ADE20K) and FOLK (arXiv 2409.10362): UperNet on the
/// pre-trained ViT (or, for the baseline row, on a freshly initialised ViT of the same architecture and seed), trained
/// end to end by the <see cref="Trainer"/> under the recipe (layer-wise rate decay, poly schedule; resumable from the run
/// folder's checkpoints), then scored single-scale on the test split: mIoU and pixel accuracy as mmsegmentation computes
/// them; <c>result.json</c> is written at the end (protocol "segmentation", headline "miou").
/// </summary>
/// <remarks>The reported numbers are the final iteration's. The reference evaluates every 16,000 iterations and its logs
/// show each, which invites picking the best on the test set; Folk.Lab does not.</remarks>
public static class SemanticSegmentation
{
    /// <summary>The encoder argument that means "a fresh, randomly initialised encoder of the same architecture".</summary>
    public const string Random = "random";

    /// <summary>The setting (table column) every segmentation result of the papers' protocol records.</summary>
    public const string Setting = "segmentation";

    /// <summary>The setting of a run with <see cref="Models.Segmentation.UperNetConfig.CentreTokens"/>: a column of its
    /// own, so that the diagnostic never pools with the papers' protocol.</summary>
    public const string CentredSetting = "segmentation, centred tokens";

    static readonly JsonSerializerOptions Json = new() { IncludeFields = true, WriteIndented = false };

    /// <summary>
    /// Trains UperNet on <paramref name="encoder"/> (a pre-training run folder or <see cref="Random"/>) with
    /// <paramref name="data"/>'s training split into <paramref name="runFolder"/> and scores it on the test split.
    /// Returns the result, or null when cancelled (the same call resumes).
    /// </summary>
    public static EvaluationResult? Run(SegmentationRecipe recipe, string encoder, SegmentationData data, string runFolder, SegmentationOptions? options = null,
        ITrainingCallbacks? callbacks = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new SegmentationOptions();
        var clock = Stopwatch.StartNew();
        IPretrainedEncoder? pretrained = encoder == Random ? null : IPretrainedEncoder.Open(encoder);
        if (pretrained is not null) recipe = recipe.AdaptedTo(pretrained);
        var trainerConfig = recipe.Trainer with { RunFolder = runFolder };
        var device = Runtime.TorchDevices.Resolve(trainerConfig.Device);

        manual_seed(trainerConfig.Seed);                                      // the heads' (and a random encoder's) initialisation
        var model = Build(recipe, data.Classes.Count);
        var source = pretrained?.LoadInto(model.Backbone, options.Part) ?? new EncoderSource(Random, null, null, Random, recipe.Model);
        model.to(device);

        var loader = new DataLoader(data.Train, recipe.Augmentation.Training(), new DataLoaderOptions
        {
            BatchSize = recipe.BatchSize, Seed = trainerConfig.Seed, Workers = options.Workers, DropLast = true,
            Share = options.Group is { } group ? new ProcessShare(group.Rank, group.WorldSize) : ProcessShare.Whole,
        });
        var config = Describe(recipe, data);
        var description = new JsonObject { ["protocol"] = "segmentation", ["encoder"] = JsonSerializer.SerializeToNode(source), ["recipe"] = config };
        var trainer = new Trainer(new SegmentationObjective(model, recipe.AuxiliaryWeight), loader, trainerConfig, callbacks, description, device, group: options.Group);
        var result = trainer.Run(cancellation);
        if (!result.Completed || trainer.Group.Rank > 0) return null;             // rank 0 evaluates and writes

        var score = SegmentationEvaluation.Evaluate(model, data.Test, data.Classes.Count, recipe.Augmentation, recipe.Inference, device, options.Workers);
        var metrics = new Dictionary<string, double>
        {
            ["miou"] = score.MeanIoU, ["pixel_accuracy"] = score.PixelAccuracy, ["mean_accuracy"] = score.MeanAccuracy,
            ["test_images"] = score.Images, ["train_images"] = data.Train.Count, ["final_loss"] = result.FinalLoss ?? double.NaN,
        };
        for (int k = 0; k < score.ClassIoU.Count; k++) metrics[$"iou.{data.Classes[k]}"] = score.ClassIoU[k];
        var evaluation = new EvaluationResult(Setting, recipe.Heads.CentreTokens ? CentredSetting : Setting, config, source, data.Name, trainerConfig.Seed, metrics, "miou",
            clock.Elapsed.TotalSeconds, device.ToString(), EvaluationResult.CurrentVersions(), DateTimeOffset.UtcNow);
        evaluation.Write(runFolder);
        return evaluation;
    }

    /// <summary>The model <paramref name="recipe"/> describes for <paramref name="classes"/> classes: UperNet on a
    /// pre-training-form ViT of the recipe's architecture (with its stochastic depth).</summary>
    /// <exception cref="ArgumentException">The recipe's model is not a ViT.</exception>
    public static UperNet Build(SegmentationRecipe recipe, int classes)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var vit = ModelCatalog.VisionTransformerFor(recipe.Model, recipe.ImageSize, recipe.PatchSize, recipe.DropPath, recipe.Depth)
            ?? throw new ArgumentException($"UperNet here reads the blocks of a ViT; {recipe.Model} is not one (use vit-t, vit-s or vit-b).");
        return new UperNet(vit, recipe.Heads with { Classes = classes });
    }

    static JsonObject Describe(SegmentationRecipe recipe, SegmentationData data)
    {
        var node = JsonSerializer.SerializeToNode(recipe, Json)!.AsObject();
        node["Heads"]!["Classes"] = data.Classes.Count;
        node["TrainImages"] = data.Train.Count;
        node["Data"] = data.Name;
        return node;
    }
}
