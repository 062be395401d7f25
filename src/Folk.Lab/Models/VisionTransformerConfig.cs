namespace Folk.Lab.Models;

/// <summary>
/// The BEiT-style Vision Transformer MFM uses (Jiahao000/MFM <c>models/vision_transformer.py</c>), sized by
/// preset. Image and patch size are parameters so that small images can train on a CPU.
/// </summary>
public sealed record VisionTransformerConfig
{
    /// <summary>Input side in pixels (MFM DATA.IMG_SIZE = 224).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Patch side in pixels (MFM MODEL.VIT.PATCH_SIZE = 16); also the encoder's stride.</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>Token width D (ViT-B: 768, MFM config MODEL.VIT.EMBED_DIM).</summary>
    public int EmbedDim { get; init; } = 768;

    /// <summary>Transformer blocks (MODEL.VIT.DEPTH = 12).</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Attention heads (ViT-B: 12, MODEL.VIT.NUM_HEADS).</summary>
    public int Heads { get; init; } = 12;

    /// <summary>MLP hidden width over D (MODEL.VIT.MLP_RATIO = 4).</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Largest stochastic-depth rate, linear over the blocks from 0 (pre-training 0.0; fine-tuning 0.1).</summary>
    public double DropPath { get; init; }

    /// <summary>Fine-tuning form: mean of the patch tokens → fc_norm → head, no final norm
    /// (MODEL.VIT.USE_MEAN_POOLING: False for pre-training, True for fine-tuning).</summary>
    public bool MeanPooling { get; init; }

    /// <summary>Classes of the fine-tuning head; 0 = no head (pre-training, NUM_CLASSES = 0 in build_mfm).</summary>
    public int Classes { get; init; }

    /// <summary>Patches per side.</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>ViT-T/16: 192-d, 3 heads (DeiT-Tiny widths; not an MFM config, the CPU-sized member of the family).</summary>
    public static VisionTransformerConfig Tiny16 => new() { EmbedDim = 192, Heads = 3 };

    /// <summary>ViT-S/16: 384-d, 6 heads (configs/vit_small/mfm_pretrain__vit_small__img224__300ep.yaml).</summary>
    public static VisionTransformerConfig Small16 => new() { EmbedDim = 384, Heads = 6 };

    /// <summary>ViT-B/16: 768-d, 12 heads (configs/vit_base/mfm_pretrain__vit_base__img224__300ep.yaml).</summary>
    public static VisionTransformerConfig Base16 => new();

    internal void Validate()
    {
        if (ImageSize <= 0 || PatchSize <= 0 || ImageSize % PatchSize != 0)
            throw new ArgumentException($"ImageSize ({ImageSize}) must be a positive multiple of PatchSize ({PatchSize}).", nameof(ImageSize));
        if (EmbedDim % Heads != 0)
            throw new ArgumentException($"EmbedDim ({EmbedDim}) must be divisible by Heads ({Heads}).", nameof(Heads));
        Guard.Positive(Depth, nameof(Depth));
        Guard.Probability(DropPath, nameof(DropPath));
    }
}
