using Folk.Lab.Frequency;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// Which spatial frequencies an encoder's first layer passes: the frequency response of its filters (a ViT's patch
/// embedding <c>patch_embed.proj</c>, a ResNet's <c>conv1</c>), each filter zero-padded to an n×n grid and transformed,
/// radially averaged over the filters and their input channels. A layer that learnt smooth filters answers mostly to
/// low frequencies; one that learnt edge and texture detectors answers to high ones; a freshly initialised layer, whose
/// weights are independent draws, answers to all alike (a flat response).
/// </summary>
/// <remarks>
/// Zero-padding samples the filter's discrete-time Fourier transform on a finer grid without changing it, so a p×p
/// filter is seen at n/2 radii instead of p/2 (the padding's place changes only the phase, not the power shown). The
/// power uses the orthonormal transform of the padded grid, so a filter's total power over all n² frequencies equals
/// the sum of its squared weights (Parseval), divided by nothing.
/// </remarks>
/// <seealso href="../../notebooks/13-what-the-models-learned.ipynb">notebook 13</seealso>
public static class FirstLayerSpectrum
{
    /// <summary>The weights of <paramref name="encoder"/>'s first convolution: O×C×k×k (a copy, on the CPU).</summary>
    /// <exception cref="ArgumentException">The encoder has neither a ViT patch embedding nor a ResNet stem.</exception>
    public static Tensor Weights(Encoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        foreach (var (name, parameter) in encoder.named_parameters())
            if (name is "patch_embed.proj.weight" or "conv1.weight")
                return parameter.detach().cpu().to(ScalarType.Float32).clone();
        throw new ArgumentException($"{encoder.GetType().Name} has no patch_embed.proj.weight or conv1.weight: not a ViT or ResNet encoder.", nameof(encoder));
    }

    /// <summary>
    /// The radial power profile of <paramref name="filters"/> (O×C×k×k, k ≤ <paramref name="size"/>), each zero-padded
    /// to <paramref name="size"/>×<paramref name="size"/>: one row per filter (its channels averaged), radii in cycles
    /// per <paramref name="size"/> samples, 0 … size/2 − 1.
    /// </summary>
    public static RadialProfile Profile(Tensor filters, int size = 32)
    {
        using var scope = NewDisposeScope();
        return RadialProfile.Compute(Padded(filters, size));
    }

    /// <summary>
    /// Per filter, the share of its response power at frequencies at least half-way to the Nyquist frequency (radius
    /// ≥ size/4 cycles per size samples, corners included), averaged over the filters: about 0.81 for a flat response at n = 32
    /// (the share of the grid's frequencies there), lower for smoothing filters, higher for edge detectors.
    /// </summary>
    public static double HighFrequencyShare(Tensor filters, int size = 32)
    {
        using var scope = NewDisposeScope();
        using var fractions = BandEnergy.Fractions(Padded(filters, size), [size / 4.0]);
        return fractions.select(1, 1).mean().item<double>();
    }

    /// <summary>The share of an n×n grid's frequencies at radius ≥ n/4: what <see cref="HighFrequencyShare"/> gives for
    /// a flat response.</summary>
    public static double FlatHighFrequencyShare(int size = 32)
    {
        Guard.Positive(size, nameof(size));
        using var squared = FrequencyGrid.SquaredRadius(size, size, CPU);
        double edge = size / 4.0;
        return squared.ge(edge * edge).to(ScalarType.Float64).mean().item<double>();
    }

    static Tensor Padded(Tensor filters, int size)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.dim() != 4 || filters.shape[2] != filters.shape[3])
            throw new ArgumentException($"filters must be O×C×k×k; got shape [{string.Join("×", filters.shape)}].", nameof(filters));
        if (size < filters.shape[2] || size < 2)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"the grid must be at least the filter's side ({filters.shape[2]}).");
        long k = filters.shape[2];
        return nn.functional.pad(filters.detach().to(ScalarType.Float32), new long[] { 0, size - k, 0, size - k });
    }
}
