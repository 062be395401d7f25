using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Segmentation;

/// <summary>
/// mmcv's <c>ConvModule</c> as mmsegmentation's heads build it (<c>norm_cfg=SyncBN</c>, ReLU): a convolution without
/// bias (the norm's shift replaces it), BatchNorm, ReLU. Field names are its state_dict keys (<c>conv</c>, <c>bn</c>).
/// Initialisation is mmcv's <c>ConvModule.init_weights</c>: Kaiming-normal weights (fan-out, ReLU gain), BatchNorm (1, 0).
/// </summary>
/// <remarks>One device's BatchNorm stands for SyncBN: with the recipe's 16 images on one device its statistics are those
/// of the reference's 8 GPUs × 2 images. Training needs at least two images per batch (the pooled 1×1 map of the pyramid
/// pooling has one value per channel and image).</remarks>
public sealed class ConvModule : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    /// <summary>A <paramref name="kernelSize"/>² convolution from <paramref name="inChannels"/> to
    /// <paramref name="outChannels"/> with <paramref name="padding"/>, then BatchNorm and ReLU.</summary>
    public ConvModule(int inChannels, int outChannels, int kernelSize, int padding = 0) : base(nameof(ConvModule))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, padding: padding, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        RegisterComponents();
        using var noGrad = no_grad();
        nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        bn.weight!.fill_(1.0);
        bn.bias!.zero_();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var y = conv.forward(x);
        using var z = bn.forward(y);
        return nn.functional.relu(z);
    }
}
