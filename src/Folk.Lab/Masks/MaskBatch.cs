using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>What kind of filter a mask is.</summary>
public enum MaskKind
{
    /// <summary>MFM low-pass: keeps d &lt; r1.</summary>
    LowPass,
    /// <summary>MFM high-pass: keeps d ≥ r1.</summary>
    HighPass,
    /// <summary>MFM's low-pass branch with an outer radius: keeps d &lt; r1 and d ≥ r2.</summary>
    BandStop,
    /// <summary>MFM's high-pass branch with an outer radius: keeps r1 ≤ d &lt; r2.</summary>
    BandPass,
    /// <summary>Uniformly random frequencies (ablation baseline).</summary>
    Random,
    /// <summary>FOLK Com: keeps the largest-magnitude frequencies.</summary>
    Com,
    /// <summary>FOLK RCom: removes the largest-magnitude frequencies.</summary>
    RCom,
    /// <summary>A mask supplied from outside (a file, a notebook).</summary>
    Given,
}

/// <summary>What was sampled for one image: the filter kind and its parameter (radius r1, mask ratio or τ).</summary>
public readonly record struct MaskSample(MaskKind Kind, double Parameter)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind}({Parameter:g4})";
}

/// <summary>
/// The masks of one batch and what was sampled to make them, for the loss, the logs and the views.
/// </summary>
/// <param name="Masks">B×H×W (shared by the channels) or B×C×H×W, float32, shifted layout, 1 = kept.</param>
/// <param name="Samples">One entry per image, in batch order.</param>
public sealed record MaskBatch(Tensor Masks, IReadOnlyList<MaskSample> Samples) : IDisposable
{
    /// <summary>Fraction of kept frequencies of each image (averaged over channels for per-channel masks).</summary>
    public double[] KeptFractions()
    {
        using var scope = NewDisposeScope();
        var perImage = Masks.flatten(1).to(ScalarType.Float64).mean(new long[] { 1 }).cpu();
        return perImage.data<double>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => Masks.Dispose();
}
