using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Models.Segmentation;

/// <summary>
/// UperNet on a plain ViT, the semantic-segmentation model of MFM (arXiv 2206.07706, §4, ADE20K) and FOLK
/// (arXiv 2409.10362), which follow MAE and BEiT: the outputs of four blocks (4, 6, 8 and 12 of 12) turned into a
/// four-scale pyramid (<see cref="FeaturePyramid"/>), a <see cref="UperHead"/> on the pyramid and an auxiliary
/// <see cref="FcnHead"/> on its third level (mmsegmentation's <c>EncoderDecoder</c>); the logits are upsampled
/// bilinearly to the input size. Field names are mmsegmentation's state_dict prefixes (<c>backbone</c>, <c>neck</c>,
/// <c>decode_head</c>, <c>auxiliary_head</c>; BEiT keeps fpn1…fpn4 inside its backbone, mmsegmentation's MAE in a neck).
/// </summary>
/// <remarks>
/// <para>For a depth other than 12 the blocks read are the same fractions, ⅓, ½, ⅔ and all of the depth, rounded
/// half away from zero and at least 1 (<see cref="OutputBlocks"/>): depth 6 reads blocks 2, 3, 4, 6; depth 24 reads
/// 8, 12, 16, 24 (BEiT-L's <c>out_indices=[7, 11, 15, 23]</c>).</para>
/// <para>The backbone keeps the pre-training input size of its position embedding and resizes it bicubically for other
/// grids at every forward pass (<see cref="VisionTransformer"/>), where mmsegmentation's MAE resizes the table once,
/// when loading, and fine-tunes the resized copy: the two start from the same embedding and differ in what the gradient
/// updates. The backbone's final norm is not used (the reference's <c>final_norm=False</c>); its weights stay in the
/// state_dict, unchanged by training.</para>
/// </remarks>
public sealed class UperNet : nn.Module<Tensor, Tensor>
{
    private readonly VisionTransformer backbone;
    private readonly FeaturePyramid neck;
    private readonly UperHead decode_head;
    private readonly FcnHead auxiliary_head;
    readonly int[] _outputBlocks;

    /// <summary>The heads' configuration.</summary>
    public UperNetConfig Config { get; }

    /// <summary>Builds the model: a ViT of <paramref name="backbone"/>'s configuration (pre-training form, initialised as
    /// MFM's pre-training does; load pre-trained weights into <see cref="Backbone"/>) and fresh heads.</summary>
    public UperNet(VisionTransformerConfig backbone, UperNetConfig? config = null) : base(nameof(UperNet))
    {
        Config = config ?? new UperNetConfig();
        Config.Validate();
        if (backbone.Classes > 0 || backbone.MeanPooling)
            throw new ArgumentException("The segmentation backbone is the pre-training form of the ViT (no mean pooling, no classification head).", nameof(backbone));
        this.backbone = new VisionTransformer(backbone);
        _outputBlocks = OutputBlocks(backbone.Depth);
        int d = backbone.EmbedDim;
        neck = new FeaturePyramid(d);
        decode_head = new UperHead(d, Config.Channels, Config.Classes, Config.PoolScales, Config.Dropout);
        auxiliary_head = new FcnHead(d, Config.AuxiliaryChannels, Config.Classes, Config.Dropout);
        RegisterComponents();
    }

    /// <summary>The ViT (its weights are the pre-trained encoder's after loading).</summary>
    public VisionTransformer Backbone => backbone;

    /// <summary>The blocks (counted from 1) whose outputs feed the pyramid.</summary>
    public IReadOnlyList<int> Blocks => _outputBlocks;

    /// <summary>The blocks read from a ViT of <paramref name="depth"/> blocks: round(depth · k / 12) for k = 4, 6, 8, 12,
    /// halves away from zero, at least 1 (BEiT's blocks 4, 6, 8, 12 for depth 12).</summary>
    public static int[] OutputBlocks(int depth)
    {
        Guard.Positive(depth, nameof(depth));
        return new[] { 4, 6, 8, 12 }.Select(k => Math.Max(1, (int)Math.Round(depth * k / 12.0, MidpointRounding.AwayFromZero))).ToArray();
    }

    /// <summary>
    /// The logits of both heads before upsampling: the UperHead's at a quarter of the patch grid's stride (the
    /// pyramid's finest level) and the auxiliary head's at the patch grid (level <see cref="UperNetConfig.AuxiliaryLevel"/>).
    /// </summary>
    /// <param name="images">B×3×H×W normalised, H and W multiples of the patch size.</param>
    public (Tensor Main, Tensor Auxiliary) Logits(Tensor images)
    {
        using var scope = NewDisposeScope();
        var levels = Levels(images);
        var main = decode_head.Forward(levels);
        var auxiliary = auxiliary_head.forward(levels[Config.AuxiliaryLevel]);
        return (main.MoveToOuterDisposeScope(), auxiliary.MoveToOuterDisposeScope());
    }

    /// <summary>B×3×H×W normalised images (H, W multiples of the patch size) → B×classes×H×W logits: the UperHead's,
    /// upsampled bilinearly (<c>align_corners=False</c>), as mmsegmentation's <c>encode_decode</c>.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var logits = decode_head.Forward(Levels(images));
        return interpolate(logits, new[] { images.shape[2], images.shape[3] }, mode: InterpolationMode.Bilinear, align_corners: false)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The pyramid the heads read.</summary>
    Tensor[] Levels(Tensor images) => neck.Forward(ReadBlocks(images));

    /// <summary>The outputs of <see cref="Blocks"/> as B×D×h×w maps, each centred per image when
    /// <see cref="UperNetConfig.CentreTokens"/>.</summary>
    internal Tensor[] ReadBlocks(Tensor images)
    {
        var outputs = backbone.BlockOutputs(images, _outputBlocks);
        return Config.CentreTokens ? outputs.Select(o => o - o.mean([2, 3], keepdim: true)).ToArray() : outputs;
    }
}
