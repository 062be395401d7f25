using System.Text.Json.Serialization;

namespace Folk.Lab.Training;

/// <summary>How to train. Defaults are MFM's ViT pre-training recipe (Jiahao000/MFM <c>config.py</c>, <c>main_mfm.py</c>,
/// configs/vit_*/mfm_pretrain__*__300ep.yaml) unless the property says otherwise.</summary>
public sealed record TrainerConfig
{
    /// <summary>Epochs (TRAIN.EPOCHS = 300).</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Warm-up epochs (TRAIN.WARMUP_EPOCHS = 20).</summary>
    public double WarmupEpochs { get; init; } = 20;

    /// <summary>The run's length in iterations, when set (mmsegmentation's iteration-based runs: 160,000); it replaces
    /// <see cref="Epochs"/> × batches per epoch, and the last epoch stops where the count is reached. Null: epochs.</summary>
    public long? Iterations { get; init; }

    /// <summary>The warm-up in iterations, when set (mmsegmentation's <c>warmup_iters=1500</c>); it replaces
    /// <see cref="WarmupEpochs"/>. Null: epochs.</summary>
    public long? WarmupIterations { get; init; }

    /// <summary>The learning-rate schedule: MFM's warm-up + cosine (the default), or mmsegmentation's warm-up + poly
    /// (<see cref="Schedules.WarmupPoly"/>, with <see cref="PolyPower"/> and <see cref="WarmupRatio"/>; its floor is
    /// <see cref="MinLearningRate"/> and <see cref="WarmupLearningRate"/> is not used).</summary>
    public Schedules.ScheduleKind Schedule { get; init; } = Schedules.ScheduleKind.Cosine;

    /// <summary>The poly schedule's exponent (mmcv <c>power=1.0</c> in the ADE20K recipes); poly only.</summary>
    public double PolyPower { get; init; } = 1.0;

    /// <summary>The poly schedule's warm-up start as a fraction of the regular rate (mmcv <c>warmup_ratio=1e-6</c>); poly only.</summary>
    public double WarmupRatio { get; init; } = 1e-6;

    /// <summary>Peak learning rate per 512 images (TRAIN.BASE_LR = 3e-4; × global batch / 512 → 1.2e-3 at 2048).</summary>
    public double BaseLearningRate { get; init; } = 3e-4;

    /// <summary>Warm-up start per 512 images (TRAIN.WARMUP_LR = 2.5e-7 → 1e-6 at 2048).</summary>
    public double WarmupLearningRate { get; init; } = 2.5e-7;

    /// <summary>Cosine floor per 512 images (TRAIN.MIN_LR = 2.5e-6 → 1e-5 at 2048).</summary>
    public double MinLearningRate { get; init; } = 2.5e-6;

    /// <summary>The optimiser (MFM: AdamW; the ResNet-50 fine-tuning recipes: LAMB). β, ε and weight decay below apply to either.</summary>
    public Optim.OptimizerKind Optimizer { get; init; } = Optim.OptimizerKind.AdamW;

    /// <summary>AdamW decoupled weight decay (TRAIN.WEIGHT_DECAY = 0.05).</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>AdamW β₁ (TRAIN.OPTIMIZER.BETAS = (0.9, 0.95) in the pre-training configs).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂ (0.95 for pre-training; 0.999 for fine-tuning).</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>AdamW ε (TRAIN.OPTIMIZER.EPS = 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Gradient-norm clipping (TRAIN.CLIP_GRAD = 3.0; null for none, as fine-tuning).</summary>
    public double? ClipGrad { get; init; } = 3.0;

    /// <summary>Micro-batches per optimiser step (TRAIN.ACCUMULATION_STEPS = 1); rates scale with it, as in MFM.</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Layer-wise learning-rate decay (TRAIN.LAYER_DECAY = 1.0 for pre-training, 0.8 for ViT fine-tuning);
    /// applies to ViT encoders.</summary>
    public double LayerDecay { get; init; } = 1.0;

    /// <summary>Seed of everything random (SEED = 0).</summary>
    public long Seed { get; init; }

    /// <summary>Checkpoint every this many epochs (SAVE_FREQ = 10) and at the end.</summary>
    public int CheckpointEveryEpochs { get; init; } = 10;

    /// <summary>Also checkpoint every this many iterations (Folk.Lab: for short CPU runs; null = off).</summary>
    public int? CheckpointEverySteps { get; init; }

    /// <summary>Checkpoints kept (Folk.Lab; MFM keeps them all).</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Write metrics every this many iterations (PRINT_FREQ = 10).</summary>
    public int LogEverySteps { get; init; } = 10;

    /// <summary>"cpu" or "cuda" / "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>bfloat16 matrix products on CUDA (Folk.Lab's stand-in for MFM's apex O1); on the CPU see <see cref="CpuMixedPrecision"/>.</summary>
    public bool MixedPrecision { get; init; } = true;

    /// <summary>bfloat16 matrix products on the CPU as well, where it multiplies bfloat16 natively
    /// (<see cref="Runtime.CpuBFloat16.IsNative"/>; float32 elsewhere, where bfloat16 is emulated and slower). Folk.Lab's
    /// setting, off by default so that CPU runs stay float32: a ViT-T step of the supervised sanity run (depth 5, 16
    /// tokens, batch 128) ran 1.35× as fast on two AVX-512 BF16 cores.</summary>
    public bool CpuMixedPrecision { get; init; }

    /// <summary>The global batch the rates scale with: loader batch × accumulation.</summary>
    public int GlobalBatch(int loaderBatch) => loaderBatch * AccumulationSteps;

    /// <summary>Not part of the recipe: where the run is written (set by the caller).</summary>
    [JsonIgnore]
    public string? RunFolder { get; init; }
}
