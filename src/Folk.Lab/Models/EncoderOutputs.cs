using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>Which global feature of an encoder a projection head reads.</summary>
public enum GlobalFeature
{
    /// <summary>The final [CLS] token of a ViT (DINO's choice, Folk.Lab's default for FOLK); ResNets have none and
    /// use the pool.</summary>
    ClassToken,

    /// <summary>The mean of the final patch tokens (ViT) or the global average pool (ResNet): <see cref="IEncoder.Pooled"/>.</summary>
    Pooled,
}

/// <summary>What one forward pass of an encoder gives a two-headed method: the feature map for a reconstruction head
/// and a global feature for a projection head, without running the encoder twice (<see cref="Encoder.Outputs"/>).</summary>
/// <param name="Map">B×F×h×w feature map (null when not asked for).</param>
/// <param name="Global">B×F global feature.</param>
public sealed record EncoderOutputs(Tensor? Map, Tensor Global) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Map?.Dispose();
        Global.Dispose();
    }
}
