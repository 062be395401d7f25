using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Heads;

/// <summary>
/// MFM's prediction head (its "decoder" at DECODER.DEPTH = 0): a 1×1 convolution to stride²·3 channels and a
/// PixelShuffle back to full resolution (Jiahao000/MFM <c>models/mfm.py</c>). Keeps PyTorch's default Conv2d initialisation, as MFM
/// builds it after the encoder's init. Parameters: ViT-B 590,592; ViT-S 295,680; ResNet-50 6,294,528.
/// </summary>
public sealed class MfmHead : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly PixelShuffle shuffle;

    /// <summary>Creates the head for a feature map of <paramref name="features"/> channels at <paramref name="stride"/>.</summary>
    public MfmHead(int features, int stride, int outChannels = 3) : base(nameof(MfmHead))
    {
        conv = nn.Conv2d(features, stride * stride * outChannels, kernel_size: 1);
        shuffle = nn.PixelShuffle(stride);
        RegisterComponents();
    }

    /// <summary>B×F×h×w features → B×3×(h·stride)×(w·stride) prediction (normalised-image space), float32.</summary>
    public override Tensor forward(Tensor features)
    {
        using var x = conv.forward(features);
        return shuffle.forward(x);
    }
}
