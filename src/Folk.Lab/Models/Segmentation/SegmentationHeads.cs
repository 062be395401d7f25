using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Segmentation;

/// <summary>What mmsegmentation's decode heads share (open-mmlab/mmsegmentation
/// <c>mmseg/models/decode_heads/decode_head.py</c>, <c>BaseDecodeHead</c>).</summary>
internal static class SegmentationHeads
{
    /// <summary><c>init_weights</c>: the 1×1 classifier <c>conv_seg</c> starts from normal(0, 0.01) weights and a zero bias.</summary>
    public static void InitializeClassifier(Conv2d classifier)
    {
        using var noGrad = no_grad();
        nn.init.normal_(classifier.weight!, 0, 0.01);
        classifier.bias!.zero_();
    }
}
