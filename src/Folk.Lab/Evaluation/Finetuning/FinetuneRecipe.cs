using Folk.Lab.Training;

namespace Folk.Lab.Evaluation.Finetuning;

/// <summary>
/// How to fine-tune (or train from scratch) a classifier. Defaults are MFM's ViT-B/16 fine-tuning
/// (configs/vit_base/finetune__vit_base__img224__100ep.yaml and config.py; MFM paper arXiv 2206.07706, Appendix A):
/// 100 epochs, 5 of warm-up, batch 128 × 16 GPUs, BASE_LR 2e-3 per 512 (8e-3 at 2048), WARMUP_LR and MIN_LR 2.5e-7
/// per 512 (1e-6 at 2048), weight decay 0.05, AdamW (0.9, 0.999), no clipping, layer decay 0.8, drop path 0.1.
/// </summary>
public sealed record FinetuneRecipe
{
    /// <summary>Architecture ("vit-b"; taken from the pre-training run when fine-tuning one).</summary>
    public string Model { get; init; } = "vit-b";

    /// <summary>Input side (DATA.IMG_SIZE 224).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>ViT patch side (null: the model's 16).</summary>
    public int? PatchSize { get; init; }

    /// <summary>ViT blocks (null: the model's 12).</summary>
    public int? Depth { get; init; }

    /// <summary>Images per iteration on one device (DATA.BATCH_SIZE 128; 16 GPUs make 2048).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Largest stochastic-depth rate (MODEL.DROP_PATH_RATE 0.1).</summary>
    public double DropPath { get; init; } = 0.1;

    /// <summary>Side of the evaluated images when it differs from the training side (null: <see cref="ImageSize"/>;
    /// RSB A3 trains at 160 and tests at 224).</summary>
    public int? EvaluationSize { get; init; }

    /// <summary>Binary cross-entropy instead of cross-entropy (the RSB recipes); null: cross-entropy, soft-target
    /// cross-entropy under Mixup (MFM's ViT fine-tuning).</summary>
    public BinaryCrossEntropyLoss? BinaryCrossEntropy { get; init; }

    /// <summary>Augmentations of each image drawn per epoch (1: off; RSB A2: 3). See <see cref="Data.DataLoaderOptions.RepeatedAugmentations"/>.</summary>
    public int RepeatedAugmentations { get; init; } = 1;

    /// <summary>The input pipeline.</summary>
    public FinetuneAugmentation Augmentation { get; init; } = new();

    /// <summary>The optimisation (see the record's summary for the values).</summary>
    public TrainerConfig Trainer { get; init; } = new()
    {
        Epochs = 100,                   // TRAIN.EPOCHS, ViT-B
        WarmupEpochs = 5,               // TRAIN.WARMUP_EPOCHS
        BaseLearningRate = 2e-3,        // TRAIN.BASE_LR (per 512)
        WarmupLearningRate = 2.5e-7,    // TRAIN.WARMUP_LR (per 512)
        MinLearningRate = 2.5e-7,       // TRAIN.MIN_LR (per 512)
        WeightDecay = 0.05,             // TRAIN.WEIGHT_DECAY
        Beta2 = 0.999,                  // TRAIN.OPTIMIZER.BETAS
        ClipGrad = null,                // TRAIN.CLIP_GRAD None
        LayerDecay = 0.8,               // TRAIN.LAYER_DECAY
    };

    /// <summary>This recipe for the encoder of <paramref name="run"/>: its architecture, and, for a ViT, its input side,
    /// patch and depth (the position embedding fixes them); a ResNet keeps the recipe's sides (RSB A3 trains at 160²
    /// whatever the pre-training side).</summary>
    public FinetuneRecipe AdaptedTo(IPretrainedEncoder run) => this with
    {
        Model = run.Model, PatchSize = run.PatchSize, Depth = run.Depth,
        ImageSize = run.Model == "resnet50" ? ImageSize : run.ImageSize,
        EvaluationSize = run.Model == "resnet50" ? EvaluationSize : null,
    };

    /// <summary>The global batch (loader batch × accumulation).</summary>
    public int GlobalBatch => Trainer.GlobalBatch(BatchSize);
}

/// <summary>Binary cross-entropy's setting in a recipe (<see cref="Losses.BinaryCrossEntropy"/>).</summary>
/// <param name="TargetThreshold">Targets above it count as positives (RSB: 0.2); null keeps them soft.</param>
public sealed record BinaryCrossEntropyLoss(double? TargetThreshold = Losses.BinaryCrossEntropy.DefaultTargetThreshold);
