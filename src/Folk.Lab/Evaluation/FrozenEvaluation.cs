using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>The protocols that read frozen features.</summary>
public enum FrozenProtocol
{
    /// <summary>DINO's weighted k-NN (<see cref="KnnProbe"/>).</summary>
    Knn,

    /// <summary>MAE's linear probe (<see cref="MaeLinearProbe"/>).</summary>
    Linear,

    /// <summary>N-way K-shot prototype episodes (<see cref="FewShotEpisodes"/>).</summary>
    FewShot,
}

/// <summary>Settings of a frozen-feature evaluation.</summary>
public sealed record FrozenEvaluationOptions
{
    /// <summary>The protocol.</summary>
    public FrozenProtocol Protocol { get; init; } = FrozenProtocol.Knn;

    /// <summary>What is read from the encoder.</summary>
    public FeatureReadout Readout { get; init; } = FeatureReadout.Default;

    /// <summary>k-NN and linear probe: fit on this class-balanced fraction of the training labels (null = all).</summary>
    public double? LabelFraction { get; init; }

    /// <summary>k-NN options (DINO: k = 20, T = 0.07).</summary>
    public KnnProbeOptions Knn { get; init; } = new();

    /// <summary>Linear-probe options (default: the CPU miniature of MAE's).</summary>
    public MaeLinearProbeOptions Linear { get; init; } = MaeLinearProbeOptions.Miniature;

    /// <summary>Episode options (5-way 5-shot, 15 queries, 600 episodes).</summary>
    public FewShotOptions FewShot { get; init; } = new();

    /// <summary>A random encoder's architecture ("vit-t", image size, patch, depth); a run's own otherwise.</summary>
    public (string Model, int ImageSize, int? PatchSize, int? Depth) Architecture { get; init; } = ("vit-t", 32, 8, 6);

    /// <summary>Evaluation crop: resize to ⌊size / ratio⌋ then centre-crop (paper scale 0.875; 1 for images already at
    /// the input size).</summary>
    public double CropRatio { get; init; } = 1;

    /// <summary>FOLK runs: which backbone.</summary>
    public EncoderPart Part { get; init; } = EncoderPart.Exported;

    /// <summary>Seed: a random encoder's initialisation, the label fraction, the probe's head and the episodes.</summary>
    public long Seed { get; init; }

    /// <summary>"cpu" or "cuda".</summary>
    public string Device { get; init; } = "cpu";
}

/// <summary>
/// Evaluates an encoder's frozen features on a labelled data set with one protocol and writes <c>result.json</c>:
/// the encoder is a pre-training run's (its pre-training form, final norm included, loaded strictly) or a random one
/// of the same architecture and seed; features are extracted once per split in evaluation mode.
/// </summary>
public static class FrozenEvaluation
{
    static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    /// <summary>Runs <paramref name="options"/>'s protocol on <paramref name="encoder"/> (a run folder or "random")
    /// and writes the result into <paramref name="runFolder"/>.</summary>
    public static EvaluationResult Run(string encoder, LabelledData data, string runFolder, FrozenEvaluationOptions options)
    {
        var clock = Stopwatch.StartNew();
        var device = Runtime.TorchDevices.Resolve(options.Device);
        var (model, source, imageSize) = Open(encoder, options);
        using var _ = model;
        model.to(device);
        var transform = new Compose(new Resize((int)Math.Floor(imageSize / options.CropRatio)), new CenterCrop(imageSize));

        Dictionary<string, double> metrics;
        string setting;
        var fractionText = options.LabelFraction is { } fr ? $" {(fr * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} %" : "";
        if (options.Protocol == FrozenProtocol.FewShot)
        {
            using var test = Features.Extract(model, data.Test, device, transform: transform, readout: options.Readout);
            var fewShot = options.FewShot with { Seed = options.Seed };
            var result = FewShotEpisodes.Evaluate(test, fewShot);
            metrics = new() { ["accuracy"] = result.Accuracy, ["ci95"] = result.Interval95, ["episodes"] = result.Episodes };
            setting = $"{fewShot.Ways}-way {fewShot.Shots}-shot";
        }
        else
        {
            var trainSet = options.LabelFraction is { } f ? LabelFraction.Of(data.Train, f, options.Seed) : data.Train;
            using var train = Features.Extract(model, trainSet, device, transform: transform, readout: options.Readout);
            using var test = Features.Extract(model, data.Test, device, transform: transform, readout: options.Readout);
            if (options.Protocol == FrozenProtocol.Knn)
            {
                metrics = new() { ["top1"] = KnnProbe.Evaluate(train, test, options.Knn), ["train_images"] = trainSet.Count };
                setting = "k-NN" + fractionText;
            }
            else
            {
                var probe = MaeLinearProbe.Evaluate(train, test, options.Linear with { Seed = options.Seed });
                metrics = new() { ["top1"] = probe.TestAccuracy, ["train_top1"] = probe.TrainAccuracy, ["train_images"] = trainSet.Count };
                setting = "linear" + fractionText;
            }
        }
        var config = JsonSerializer.SerializeToNode(options, Json)!.AsObject();
        config["Readout"] = options.Readout.ToString();
        config["ImageSize"] = imageSize;
        var evaluation = new EvaluationResult(
            options.Protocol switch { FrozenProtocol.Knn => "knn", FrozenProtocol.Linear => "linear", _ => "fewshot" }, setting, config, source, data.Name,
            options.Seed, metrics, options.Protocol == FrozenProtocol.FewShot ? "accuracy" : "top1", clock.Elapsed.TotalSeconds, device.ToString(),
            EvaluationResult.CurrentVersions(), DateTimeOffset.UtcNow);
        evaluation.Write(runFolder);
        return evaluation;
    }

    /// <summary>The encoder to evaluate, where it came from, and its input size.</summary>
    public static (Encoder Model, EncoderSource Source, int ImageSize) Open(string encoder, FrozenEvaluationOptions options)
    {
        if (encoder == Finetune.Random)
        {
            var (name, size, patch, depth) = options.Architecture;
            manual_seed(options.Seed);
            var random = ModelCatalog.Create(name, size, patch, depth: depth);
            return (random, new EncoderSource(Finetune.Random, null, null, "random", name), size);
        }
        var run = IPretrainedEncoder.Open(encoder);
        var model = ModelCatalog.Create(run.Model, run.ImageSize, run.PatchSize, depth: run.Depth);
        return (model, run.LoadInto(model, options.Part), run.ImageSize);
    }
}
