using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>
/// FOLK's RCom ("reverse Com") filter: remove the largest-magnitude frequencies and keep the weak, fine ones, so the
/// model must rebuild the dominant structure from the rest. Exactly <c>1 − Com</c> for the same τ and options
/// (Folk.Lab's reading of FOLK's "reverse" filter). DC is removed, so, as with MFM's high-pass images, about half
/// the pixels of an RCom image clamp to 0.
/// </summary>
/// <seealso href="../../notebooks/01-mask-gallery.ipynb">notebook 01, the mask gallery</seealso>
public sealed class RComMask(double tau = 0.01, ComMaskOptions? options = null) : IFrequencyMask
{
    readonly ComMask _com = new(tau, options);

    /// <summary>τ of the Com mask this is the complement of.</summary>
    public double Tau => _com.Tau;

    /// <summary>Ranking and threshold options.</summary>
    public ComMaskOptions Options => _com.Options;

    /// <inheritdoc/>
    public MaskBatch Sample(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        using var com = _com.Sample(images, generator, shard);
        return new MaskBatch(Mask.Complement(com.Masks), com.Samples.Select(s => s with { Kind = MaskKind.RCom }).ToArray());
    }
}
