using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Segmentation;

/// <summary>
/// mmsegmentation's <c>FCNHead</c> as the UperNet configs use it for the auxiliary loss (open-mmlab/mmsegmentation
/// <c>mmseg/models/decode_heads/fcn_head.py</c>, <c>configs/_base_/models/upernet_mae.py</c>: <c>num_convs=1</c>,
/// <c>concat_input=False</c>, 256 channels, dropout 0.1): one 3×3 ConvModule, 2-D dropout and a 1×1 classifier.
/// </summary>
public sealed class FcnHead : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_seg;
    private readonly Dropout2d dropout;
    private readonly Sequential convs;

    /// <summary>A head reading <paramref name="inChannels"/> channels, <paramref name="channels"/> wide, for
    /// <paramref name="classes"/> classes.</summary>
    public FcnHead(int inChannels, int channels, int classes, double dropoutRatio) : base(nameof(FcnHead))
    {
        conv_seg = nn.Conv2d(channels, classes, kernel_size: 1);
        dropout = nn.Dropout2d(dropoutRatio);
        convs = nn.Sequential(new ConvModule(inChannels, channels, 3, padding: 1));
        RegisterComponents();
        SegmentationHeads.InitializeClassifier(conv_seg);
    }

    /// <summary>B×in×h×w → B×classes×h×w logits.</summary>
    public override Tensor forward(Tensor x)
    {
        using var y = convs.forward(x);
        using var dropped = dropout.forward(y);
        return conv_seg.forward(dropped);
    }
}
