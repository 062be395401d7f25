using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>How an image's spectral energy splits over concentric frequency bands.</summary>
/// <remarks>
/// Band k holds the frequencies with <c>edges[k−1] ≤ d &lt; edges[k]</c> (d = distance from DC in cycles per image,
/// with edges[−1] = 0 and a last band up to infinity, corners included): the same strict <c>&lt;</c> as MFM's
/// masks, so the energy of band 0 for edges {16} is exactly what a low-pass mask of radius 16 keeps. DC is part of
/// band 0. Energies are <c>|X|²</c> summed over channels; by Parseval the fractions are those of pixel energy too.
/// </remarks>
public static class BandEnergy
{
    /// <summary>
    /// Energy fraction per band for each image of a B×C×H×W batch: a B×(K+1) float64 tensor on the CPU whose rows
    /// sum to 1, for K strictly increasing positive <paramref name="edges"/>.
    /// </summary>
    public static Tensor Fractions(Tensor images, IReadOnlyList<double> edges) => Split(images, edges, withDc: true);

    /// <summary>
    /// As <see cref="Fractions"/>, over the energy without the DC term: each image's zero frequency is left out of band 0
    /// and of the total, so the rows split only the energy of the image minus its mean colour. For images in [0,1] the
    /// DC term alone holds at least the mean pixel's share of the energy (per channel, x² ≤ x gives Σx² ≤ Σx, so
    /// |DC|² / Σx² = (Σx)² / (HW·Σx²) ≥ the channel's mean, and over the channels the share is at least the overall mean):
    /// a claim about where the energy lies is only informative without it.
    /// Rows of constant images (no energy besides DC) are NaN.
    /// </summary>
    /// <seealso href="../../notebooks/00-frequency-primer.ipynb">notebook 00, the frequency primer</seealso>
    public static Tensor FractionsWithoutDc(Tensor images, IReadOnlyList<double> edges) => Split(images, edges, withDc: false);

    static Tensor Split(Tensor images, IReadOnlyList<double> edges, bool withDc)
    {
        Guard.ImageBatch(images, nameof(images));
        if (edges.Count == 0) throw new ArgumentException("edges must name at least one band edge (a radius > 0).", nameof(edges));
        for (int i = 0; i < edges.Count; i++)
        {
            if (!(edges[i] > 0)) throw new ArgumentOutOfRangeException(nameof(edges), edges[i], $"edges[{i}] must be > 0; got {edges[i]}.");
            if (i > 0 && !(edges[i] > edges[i - 1]))
                throw new ArgumentException($"edges must increase strictly; edges[{i - 1}] = {edges[i - 1]}, edges[{i}] = {edges[i]}.", nameof(edges));
        }

        long batch = images.shape[0], h = images.shape[^2], w = images.shape[^1];
        using var scope = NewDisposeScope();
        var energy = Spectrum.Power(Spectrum.Centered(images, FFTNormType.Ortho))
            .sum(new long[] { 1 }, type: ScalarType.Float64).reshape(batch, h * w);
        var squared = FrequencyGrid.SquaredRadius(h, w, images.device).to(ScalarType.Float64).reshape(h * w);
        var squaredEdges = tensor(edges.Select(e => e * e).ToArray(), dtype: ScalarType.Float64, device: images.device);
        // band index = number of edges e with e² ≤ d²
        var band = bucketize(squared, squaredEdges, right: true);
        if (!withDc) energy = energy * squared.gt(0).to(ScalarType.Float64);       // DC is the one frequency at d = 0
        var sums = zeros(batch, edges.Count + 1, dtype: ScalarType.Float64, device: images.device)
            .index_add(1, band, energy, 1.0);
        return (sums / sums.sum(1, keepdim: true)).cpu().MoveToOuterDisposeScope();
    }
}
