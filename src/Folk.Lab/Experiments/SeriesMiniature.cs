using Folk.Lab.Data;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Training;

namespace Folk.Lab.Experiments;

/// <summary>
/// The one miniature that the notebook series 06–14 runs at <c>Scale = "quick"</c>, so that their tables compare like
/// with like and share their pre-training runs through <see cref="RunCache.Default"/>: a class-balanced subset of a
/// labelled data set (Fashion-MNIST by default, zero-padded to 32²), ViT-T widths (192-d, 3 heads) with depth 4 and
/// patch 8 (16 tokens), every method under its official recipe's optimiser and the same short schedule.
/// </summary>
/// <remarks>
/// The sizes are chosen for a test suite on 2 CPU cores: 2,048 pre-training images × 2 epochs is about ten seconds
/// per MFM run and under a minute for FOLK. At that length no ranking between methods is expected to be stable: the
/// notebooks report the miniature's numbers beside the papers' and assert only what holds at any scale. The learning
/// rate, 1.5e-3 per 512 images with a tenth of an epoch of warm-up, is the CPU learning-signal experiment's
/// (scripts/learning-signal.sh), where pre-training on all 60,000 images beats a random encoder.
/// </remarks>
public static class SeriesMiniature
{
    /// <summary>The default data: Fashion-MNIST's manifest, relative to the repository root.</summary>
    public const string FashionMnist = "data-manifests/fashion-mnist.json";

    /// <summary>Input side: Fashion-MNIST's 28 pixels zero-padded to a multiple of the patch.</summary>
    public const int ImageSize = 32;

    /// <summary>ViT patch: 16 tokens per image.</summary>
    public const int PatchSize = 8;

    /// <summary>ViT blocks.</summary>
    public const int Depth = 4;

    /// <summary>
    /// <paramref name="method"/>'s recipe ("mfm", "sr", "deblur", "denoise" or "folk"; see <see cref="MethodRegistry"/>)
    /// at the miniature's scale: batch 64, <paramref name="epochs"/> epochs, a tenth of an epoch of warm-up, base rate
    /// 1.5e-3 per 512, seed <paramref name="seed"/>; FOLK with 4,096 prototypes (its 65,536 would dwarf the encoder).
    /// Change the method's settings with <c>with { Method = … }</c>: the cache keys on them.
    /// </summary>
    public static PretrainingRecipe Recipe(string method, long seed = 0, int epochs = 2)
    {
        var recipe = method == "folk"
            ? FolkPresets.For("vit-t") is var f ? f with { Method = ((Methods.FolkConfig)f.Method) with { Head = ((Methods.FolkConfig)f.Method).Head with { OutputDim = 4096 } } } : throw new InvalidOperationException()
            : MfmPresets.For(method, "vit-t");
        return recipe with
        {
            ImageSize = ImageSize, PatchSize = PatchSize, Depth = Depth, BatchSize = 64,
            Trainer = recipe.Trainer with
            {
                Epochs = epochs, WarmupEpochs = 0.1, BaseLearningRate = 1.5e-3, Seed = seed,
                CheckpointEveryEpochs = 1, KeepCheckpoints = 1, LogEverySteps = 4, RunFolder = null,
            },
        };
    }

    /// <summary>
    /// The miniature's labelled data: <paramref name="manifest"/> (a data-manifests/*.json file, or "synthetic") with a
    /// seeded class-balanced subset of about <paramref name="train"/> training and <paramref name="test"/> test
    /// images (seed 0, whatever the run's seed: every run of the series sees the same images).
    /// </summary>
    /// <remarks>Its <see cref="LabelledData.Name"/> says the subset ("fashion-mnist 2048/1000"): the run cache keys
    /// pre-training on it, and the tables show it as the data.</remarks>
    public static LabelledData Data(string manifest = FashionMnist, string? root = null, int train = 2048, int test = 1000)
    {
        var full = LabelledDataSource.Open(manifest, root, ImageSize, syntheticTrain: train, syntheticTest: test);
        var (trainSet, testSet) = (Subset(full.Train, train), Subset(full.Test, test));
        return full with { Train = trainSet, Test = testSet, Name = $"{full.Name} {trainSet.Count}/{testSet.Count}" };
    }

    /// <summary>
    /// The shared run of <paramref name="method"/> (<see cref="Recipe"/> at seed 0 and 2 epochs) on
    /// <paramref name="data"/>, from <paramref name="cache"/> (default <see cref="RunCache.Default"/>): pre-trained by
    /// the first notebook that asks for it. Returns its run folder.
    /// </summary>
    public static string Pretrained(string method, LabelledData data, RunCache? cache = null, Training.ITrainingCallbacks? callbacks = null) =>
        (cache ?? RunCache.Default).Pretrain(Recipe(method), data.Train, data.Name, callbacks);

    /// <summary>
    /// One evaluation of the miniature, cached under a canonical name (data / protocol / encoder-seed-digest of the
    /// settings), so that every
    /// notebook asking for "k-NN of MFM, seed 0" reads the same result and a merged table holds each seed once.
    /// <paramref name="encoder"/> is a method whose shared run is evaluated (<see cref="Pretrained"/>), or
    /// <see cref="Finetune.Random"/>: a random encoder for the frozen protocols, and training from scratch (the
    /// supervised row) for fine-tuning. <paramref name="seed"/> draws the label subset, the probe's or head's
    /// initialisation, the order and the episodes; the pre-training seed stays 0.
    /// </summary>
    public static EvaluationResult Evaluate(SeriesProtocol protocol, string encoder, LabelledData data, long seed = 0, RunCache? cache = null)
    {
        cache ??= RunCache.Default;
        var frozen = protocol switch
        {
            SeriesProtocol.Knn => Frozen(FrozenProtocol.Knn, seed),
            SeriesProtocol.Linear => Frozen(FrozenProtocol.Linear, seed),
            SeriesProtocol.FewShot => Frozen(FrozenProtocol.FewShot, seed) with { FewShot = new FewShotOptions { Episodes = 200 } },
            _ => null,
        };
        var finetuning = frozen is null ? FinetuningFor(protocol, data, seed) : null;
        // the name ends with a digest of the settings and of the encoder's run, so a changed recipe is never read back stale
        string digest = Digest((object?)frozen ?? finetuning, encoder == Finetune.Random ? "" : RunCache.Key(Recipe(encoder), data.Name));
        string name = $"{Slug(data.Name)}/{Slug(protocol.ToString())}/{encoder}-s{seed}-{digest}";
        return cache.Evaluation(name, folder =>
        {
            string source = encoder == Finetune.Random ? Finetune.Random : Pretrained(encoder, data, cache);
            return frozen is not null
                ? FrozenEvaluation.Run(source, data, folder, frozen)
                : Finetune.Run(finetuning!, source, data, folder, new FinetuneOptions { LabelFraction = LabelFractionOf(protocol) })
                  ?? throw new OperationCanceledException($"{folder}: fine-tuning was cancelled; asking again resumes it.");
        });
    }

    /// <summary>The label fraction a fine-tuning protocol trains on (null: every label).</summary>
    public static double? LabelFractionOf(SeriesProtocol protocol) => protocol switch
    {
        SeriesProtocol.FinetuneOnePercent => 0.01,
        SeriesProtocol.FinetuneTenPercent => 0.10,
        _ => null,
    };

    /// <summary>
    /// <see cref="Finetuning"/> sized to the labelled images a protocol leaves: about 100 optimiser steps of a batch of
    /// a quarter of them (8 to 64; 1 % of 2,048 images is 20, two per class), at the learning rate of batch 64 whatever
    /// the batch: the linear scaling rule (rate ∝ batch) would give batch 8 a rate of 3e-5, with which 100 steps move
    /// nothing (measured: every encoder, supervised included, stayed at chance).
    /// </summary>
    public static FinetuneRecipe FinetuningFor(SeriesProtocol protocol, LabelledData data, long seed = 0)
    {
        int images = (int)Math.Round(data.Train.Count * (LabelFractionOf(protocol) ?? 1));
        int batch = Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, images / 4 + 1)) / 2, 8, 64);
        int steps = Math.Max(1, images / batch);
        var recipe = Finetuning(epochs: Math.Max(10, (int)Math.Ceiling(100.0 / steps)), seed: seed);
        return recipe with { BatchSize = batch, Trainer = recipe.Trainer with { BaseLearningRate = recipe.Trainer.BaseLearningRate * recipe.BatchSize / batch } };
    }

    /// <summary>The miniature's fine-tuning recipe for a pre-trained or random encoder of the miniature's architecture:
    /// <see cref="FinetunePresets.Miniature"/> at depth <see cref="Depth"/>, <paramref name="epochs"/> epochs of batch 64.</summary>
    public static FinetuneRecipe Finetuning(int epochs = 10, long seed = 0) =>
        FinetunePresets.Miniature("vit-t", ImageSize, PatchSize, Depth) is var r
            ? r with { BatchSize = 64, Trainer = r.Trainer with { Epochs = epochs, WarmupEpochs = 1, Seed = seed, KeepCheckpoints = 1 } }
            : throw new InvalidOperationException();

    /// <summary>Frozen-feature settings for the miniature's architecture (k-NN, linear probe or episodes).</summary>
    public static FrozenEvaluationOptions Frozen(FrozenProtocol protocol, long seed = 0) =>
        new() { Protocol = protocol, Architecture = ("vit-t", ImageSize, PatchSize, Depth), Seed = seed };

    /// <summary>The first 8 hex digits of the SHA-256 of an evaluation's <paramref name="settings"/> (as JSON) and of
    /// what identifies its encoder (<paramref name="encoder"/>: a run key, or "" for a random one): the end of a cached
    /// evaluation's name, so that a changed recipe is never read back stale.</summary>
    public static string Digest(object? settings, string encoder) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(settings) + encoder)), 0, 4).ToLowerInvariant();

    /// <summary><paramref name="text"/> as a folder name: lower case, every character but letters and digits a '-'.</summary>
    public static string Slug(string text) => string.Concat(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-');

    static IImageDataset Subset(IImageDataset set, int count) =>
        count >= set.Count ? set : LabelFraction.Of(set, (double)count / set.Count, seed: 0);
}

/// <summary>The evaluations of the notebook series' miniature (<see cref="SeriesMiniature.Evaluate"/>).</summary>
public enum SeriesProtocol
{
    /// <summary>DINO's weighted k-NN on frozen features, every training label.</summary>
    Knn,

    /// <summary>MAE's linear probe (CPU miniature) on frozen features, every training label.</summary>
    Linear,

    /// <summary>Fine-tuning on every training label.</summary>
    Finetune,

    /// <summary>Fine-tuning on a class-balanced 1 % of the training labels (FOLK's few-shot rows).</summary>
    FinetuneOnePercent,

    /// <summary>Fine-tuning on a class-balanced 10 % of the training labels.</summary>
    FinetuneTenPercent,

    /// <summary>5-way 5-shot prototype episodes on frozen test features (200 episodes).</summary>
    FewShot,
}
