using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// The base of every backbone: a module (its parameters train, move and checkpoint as one) that is also an
/// <see cref="IEncoder"/>, so that methods, heads and probes take an <see cref="Encoder"/> and need no casts.
/// <c>forward</c> is the module's own output (the feature map for pre-training, class logits for a fine-tuning ViT).
/// </summary>
public abstract class Encoder : nn.Module<Tensor, Tensor>, IEncoder
{
    /// <summary>Registers the module under <paramref name="name"/>.</summary>
    protected Encoder(string name) : base(name) { }

    /// <inheritdoc/>
    public abstract int Features { get; }

    /// <inheritdoc/>
    public abstract int Stride { get; }

    /// <inheritdoc/>
    public abstract Tensor FeatureMap(Tensor images);

    /// <inheritdoc/>
    public abstract Tensor Pooled(Tensor images);

    /// <summary>
    /// One forward pass that gives a two-headed method both what it needs: the feature map (for a reconstruction head,
    /// when <paramref name="withMap"/>) and a global feature (for a projection head). This default pools the feature
    /// map, which is right for a CNN; a ViT reads its [CLS] token or its mean patch token.
    /// </summary>
    /// <param name="images">B×3×H×W, normalised.</param>
    /// <param name="global">Which global feature (a CNN has no class token and always pools).</param>
    /// <param name="withMap">Whether to return the feature map too.</param>
    public virtual EncoderOutputs Outputs(Tensor images, GlobalFeature global = GlobalFeature.ClassToken, bool withMap = true)
    {
        using var scope = NewDisposeScope();
        var map = FeatureMap(images);
        var pooled = map.mean(new long[] { 2, 3 });
        return new EncoderOutputs(withMap ? map.MoveToOuterDisposeScope() : null, pooled.MoveToOuterDisposeScope());
    }
}
