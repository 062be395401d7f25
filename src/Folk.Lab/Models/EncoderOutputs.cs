using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>Which global feature of an encoder a projection head reads.</summary>
public enum GlobalFeature
{
    /// <summary>The final [CLS] token of a ViT (DINO's choice; folk-reference §5.2); ResNets have none and use the pool.</summary>
    ClassToken,

    /// <summary>The mean of the final patch tokens (ViT) or the global average pool (ResNet): <see cref="IEncoder.Pooled"/>.</summary>
    Pooled,
}

/// <summary>What one forward pass of an encoder gives a two-headed method: the feature map for a reconstruction head
/// and a global feature for a projection head, without running the encoder twice.</summary>
/// <param name="Map">B×F×h×w feature map (null when not asked for).</param>
/// <param name="Global">B×F global feature.</param>
public sealed record EncoderOutputs(Tensor? Map, Tensor Global) : IDisposable
{
    /// <summary>Runs <paramref name="encoder"/> once on <paramref name="images"/> (B×3×H×W, normalised).</summary>
    public static EncoderOutputs Compute(IEncoder encoder, Tensor images, GlobalFeature global = GlobalFeature.ClassToken, bool withMap = true)
    {
        using var scope = NewDisposeScope();
        Tensor? map;
        Tensor pooled;
        if (encoder is VisionTransformer vit)
        {
            var tokens = vit.Tokens(images);
            long p = vit.Config.PatchSize;
            map = withMap ? vit.PatchGrid(tokens, images.shape[2] / p, images.shape[3] / p) : null;
            pooled = global == GlobalFeature.ClassToken ? tokens[.., 0] : tokens[.., 1..].mean(new long[] { 1 });
        }
        else
        {
            var features = encoder.FeatureMap(images);
            map = withMap ? features : null;
            pooled = features.mean(new long[] { 2, 3 });
        }
        return new EncoderOutputs(map?.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Map?.Dispose();
        Global.Dispose();
    }
}
