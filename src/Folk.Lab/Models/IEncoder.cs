using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// A backbone as the pre-training methods see it: images in, a feature map at a fixed stride out (what MFM's head
/// turns back into pixels), plus pooled features for probes.
/// </summary>
public interface IEncoder
{
    /// <summary>Channels of the feature map (ViT: D; ResNet-50: 2048).</summary>
    int Features { get; }

    /// <summary>Pixels per feature-map cell (ViT: the patch size; ResNet-50: 32).</summary>
    int Stride { get; }

    /// <summary>B×Features×(H/Stride)×(W/Stride), float32.</summary>
    Tensor FeatureMap(Tensor images);

    /// <summary>B×Features global features (ViT: mean of the final patch tokens; ResNet: global average pool).</summary>
    Tensor Pooled(Tensor images);
}
