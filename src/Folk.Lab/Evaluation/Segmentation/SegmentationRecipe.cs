using Folk.Lab.Models.Segmentation;
using Folk.Lab.Training;
using Folk.Lab.Training.Schedules;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>
/// How to train and test UperNet on a pre-trained ViT. Defaults are the MAE ADE20K recipe for ViT-B/16, which MFM
/// (arXiv 2206.07706, §4) and FOLK (arXiv 2409.10362) follow for their ADE20K tables (open-mmlab/mmsegmentation
/// <c>configs/mae/upernet_mae-base_fp16_8x2_512x512_160k_ade20k.py</c> with <c>configs/_base_/models/upernet_mae.py</c>,
/// <c>configs/_base_/datasets/ade20k.py</c> and <c>configs/_base_/schedules/schedule_160k.py</c>): 512² crops, 160,000
/// iterations of 16 images (8 GPUs × 2), AdamW (0.9, 0.999) at 1e-4 with weight decay 0.05 and layer-wise decay 0.65
/// over 12 blocks, linear warm-up over 1,500 iterations from 1e-6 of the rate, then poly decay with power 1.0 to 0,
/// stochastic depth 0.1, UperNet 768 wide with the auxiliary FCN head at loss weight 0.4, single-scale sliding-window
/// test (crop 512, stride 341).
/// </summary>
/// <remarks>
/// <para>BEiT's ADE20K config (microsoft/unilm <c>beit/semantic_segmentation/configs/beit/upernet/upernet_beit_base_12_512_slide_160k_ade20k_pt2ft.py</c>)
/// is the same except for its optimiser (3e-5, layer decay 0.9, for an intermediately fine-tuned BEiT); MFM's paper
/// names no rate of its own, so the MAE one, written for a ViT pre-trained without labels, is the default.</para>
/// <para>Not reproduced exactly: the reference trains in fp16 with dynamic loss scaling (here bf16 matrix products on
/// CUDA, <see cref="TrainerConfig.MixedPrecision"/>); its layer-decay constructor decays <c>pos_embed</c> and
/// <c>cls_token</c> (their names carry a <c>backbone.</c> prefix that its exclusion list misses), where Folk.Lab keeps
/// MFM's rule of no decay for them (<see cref="Training.Optim.ParameterGroups.NoDecay"/>); and its sampler draws
/// indices without epochs where Folk.Lab shuffles each epoch and stops at the iteration count.</para>
/// </remarks>
public sealed record SegmentationRecipe
{
    /// <summary>Architecture of the backbone ("vit-b"; a pre-trained run's own when one is given).</summary>
    public string Model { get; init; } = "vit-b";

    /// <summary>The ViT's position-embedding grid side in pixels: the pre-training input size (224), resized to the
    /// crop's grid at run time.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>ViT patch side (null: the model's 16).</summary>
    public int? PatchSize { get; init; }

    /// <summary>ViT blocks (null: the model's 12).</summary>
    public int? Depth { get; init; }

    /// <summary>Largest stochastic-depth rate of the backbone (<c>drop_path_rate=0.1</c>).</summary>
    public double DropPath { get; init; } = 0.1;

    /// <summary>Images per iteration (<c>samples_per_gpu=2</c> on 8 GPUs).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>The heads (UperNet 768 wide, auxiliary FCN 256 wide; the class count is set from the data).</summary>
    public UperNetConfig Heads { get; init; } = new();

    /// <summary>Weight of the auxiliary head's loss (<c>auxiliary_head.loss_decode.loss_weight=0.4</c>).</summary>
    public double AuxiliaryWeight { get; init; } = 0.4;

    /// <summary>The input pipeline (mmsegmentation's ADE20K one).</summary>
    public SegmentationAugmentation Augmentation { get; init; } = new();

    /// <summary>Test-time inference (sliding windows of 512 at stride 341).</summary>
    public SegmentationInferenceOptions Inference { get; init; } = new();

    /// <summary>The optimisation (see the record's summary for the values and their sources).</summary>
    public TrainerConfig Trainer { get; init; } = new()
    {
        Iterations = 160_000,                // schedule_160k.py: max_iters=160000
        WarmupIterations = 1_500,            // lr_config warmup_iters
        Schedule = ScheduleKind.Poly,        // lr_config policy='poly', warmup='linear'
        PolyPower = 1.0,                     // power=1.0
        WarmupRatio = 1e-6,                  // warmup_ratio=1e-6
        BaseLearningRate = 1e-4 * 512 / 16,  // optimizer lr=1e-4 at batch 16 (Folk.Lab's rates are per 512 images)
        MinLearningRate = 0,                 // min_lr=0.0
        WeightDecay = 0.05,                  // weight_decay=0.05
        Beta1 = 0.9, Beta2 = 0.999,          // betas=(0.9, 0.999)
        ClipGrad = null,                     // no grad_clip
        LayerDecay = 0.65,                   // paramwise_cfg layer_decay_rate=0.65, num_layers=12
        Epochs = 1,                          // unused: Iterations sets the length
        WarmupEpochs = 0,                    // unused: WarmupIterations sets the warm-up
        CheckpointEverySteps = 16_000,       // Folk.Lab: ten checkpoints per run (resume points, not part of the recipe)
        CheckpointEveryEpochs = int.MaxValue,
        LogEverySteps = 50,                  // the reference's logger interval
    };

    /// <summary>This recipe for the encoder of <paramref name="run"/>: its architecture, input size, patch and depth.</summary>
    /// <exception cref="ArgumentException">The run's encoder is not a ViT.</exception>
    public SegmentationRecipe AdaptedTo(IPretrainedEncoder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Model.StartsWith("vit", StringComparison.Ordinal))
            throw new ArgumentException($"{run.Location} holds a {run.Model}; UperNet here reads the blocks of a ViT (vit-t, vit-s, vit-b).");
        return this with { Model = run.Model, ImageSize = run.ImageSize, PatchSize = run.PatchSize, Depth = run.Depth };
    }
}
