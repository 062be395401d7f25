using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Models.Segmentation;

/// <summary>
/// UperNet's decode head as mmsegmentation builds it (open-mmlab/mmsegmentation <c>mmseg/models/decode_heads/uper_head.py</c>
/// with <c>psp_head.py</c>'s PPM; Xiao et al. 2018): pyramid pooling on the coarsest level (adaptive average pools of
/// 1, 2, 3 and 6 cells, each a 1×1 ConvModule, upsampled and concatenated with the level, then a 3×3 ConvModule); 1×1
/// lateral ConvModules on the three finer levels; a top-down path adding each upsampled level to the next finer one;
/// 3×3 ConvModules on the three finer sums; everything upsampled to the finest level, concatenated, fused by a 3×3
/// ConvModule; dropout (2-D, 0.1) and a 1×1 classifier. Field names are the reference's state_dict keys.
/// </summary>
/// <remarks>Upsampling is bilinear with <c>align_corners=False</c> (the ADE20K configs). The classifier starts as
/// mmsegmentation's <c>BaseDecodeHead.init_weights</c>: normal(0, 0.01) weights, zero bias.</remarks>
public sealed class UperHead : nn.Module
{
    private readonly Conv2d conv_seg;
    private readonly Dropout2d dropout;
    private readonly ModuleList<Sequential> psp_modules;
    private readonly ConvModule bottleneck;
    private readonly ModuleList<ConvModule> lateral_convs;
    private readonly ModuleList<ConvModule> fpn_convs;
    private readonly ConvModule fpn_bottleneck;

    /// <summary>A head over four levels of <paramref name="inChannels"/> channels each, <paramref name="channels"/> wide
    /// inside, for <paramref name="classes"/> classes.</summary>
    public UperHead(int inChannels, int channels, int classes, IReadOnlyList<int> poolScales, double dropoutRatio) : base(nameof(UperHead))
    {
        conv_seg = nn.Conv2d(channels, classes, kernel_size: 1);
        dropout = nn.Dropout2d(dropoutRatio);
        psp_modules = new ModuleList<Sequential>(poolScales
            .Select(scale => nn.Sequential(nn.AdaptiveAvgPool2d(scale), new ConvModule(inChannels, channels, 1))).ToArray());
        bottleneck = new ConvModule(inChannels + poolScales.Count * channels, channels, 3, padding: 1);
        lateral_convs = new ModuleList<ConvModule>(Enumerable.Range(0, 3).Select(_ => new ConvModule(inChannels, channels, 1)).ToArray());
        fpn_convs = new ModuleList<ConvModule>(Enumerable.Range(0, 3).Select(_ => new ConvModule(channels, channels, 3, padding: 1)).ToArray());
        fpn_bottleneck = new ConvModule(4 * channels, channels, 3, padding: 1);
        RegisterComponents();
        SegmentationHeads.InitializeClassifier(conv_seg);
    }

    /// <summary>Four maps, finest first (strides 4, 8, 16, 32 of the input) → B×classes logits at the finest level's size.</summary>
    public Tensor Forward(IReadOnlyList<Tensor> levels)
    {
        if (levels.Count != 4) throw new ArgumentException($"UperHead takes four levels; got {levels.Count}.", nameof(levels));
        using var scope = NewDisposeScope();
        var laterals = new Tensor[4];
        for (int i = 0; i < 3; i++) laterals[i] = lateral_convs[i].forward(levels[i]);
        laterals[3] = PyramidPooling(levels[3]);
        for (int i = 3; i > 0; i--) laterals[i - 1] = laterals[i - 1] + Resize(laterals[i], laterals[i - 1]);
        var outputs = new Tensor[4];
        for (int i = 0; i < 3; i++) outputs[i] = fpn_convs[i].forward(laterals[i]);
        outputs[3] = laterals[3];
        for (int i = 1; i < 4; i++) outputs[i] = Resize(outputs[i], outputs[0]);
        var fused = fpn_bottleneck.forward(cat(outputs, 1));
        return conv_seg.forward(dropout.forward(fused)).MoveToOuterDisposeScope();
    }

    Tensor PyramidPooling(Tensor x)
    {
        var parts = new List<Tensor> { x };
        foreach (var pool in psp_modules) parts.Add(Resize(pool.forward(x), x));
        return bottleneck.forward(cat(parts, 1));
    }

    static Tensor Resize(Tensor x, Tensor like) =>
        interpolate(x, new[] { like.shape[2], like.shape[3] }, mode: InterpolationMode.Bilinear, align_corners: false);
}
