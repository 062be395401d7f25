using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>
/// Radially (azimuthally) averaged power spectrum of each image: the mean of <c>|X|²</c> over the channels and over
/// the ring of frequencies whose distance from DC rounds to each integer radius.
/// </summary>
/// <param name="Radii">Ring radii in cycles per image: 0, 1, …, N/2 − 1 for an N×N image.</param>
/// <param name="Power">Power per image and ring, <c>Power[b][r]</c> (ortho-normalised FFT, so the total power of an
/// image equals its sum of squared pixels).</param>
/// <param name="Counts">Number of frequencies in each ring.</param>
/// <remarks>
/// Rings stop at the largest complete circle (radius N/2 − 1); the corners of the square spectrum, which belong to no
/// complete ring, are left out. Natural images follow <c>P(f) ∝ f^−α</c> with α ≈ 2, see <see cref="PowerLawFit"/>.
/// </remarks>
public sealed record RadialProfile(double[] Radii, double[][] Power, long[] Counts)
{
    /// <summary>Computes the profile of a B×C×N×N batch (square: rings are circles only on a square grid).</summary>
    public static RadialProfile Compute(Tensor images)
    {
        Guard.ImageBatch(images, nameof(images));
        Guard.Square(images, nameof(images), "for a radial profile (rings are circles only on a square grid)");
        long batch = images.shape[0], n = images.shape[^1];
        long rings = n / 2;

        using var scope = NewDisposeScope();
        var centered = Spectrum.Centered(images, FFTNormType.Ortho);
        var power = Spectrum.Power(centered).mean(new long[] { 1 }).reshape(batch, n * n).to(ScalarType.Float64);
        var ring = FrequencyGrid.Radius(n, n, images.device).add(0.5).floor().to(ScalarType.Int64).reshape(n * n);
        var inside = ring.lt(rings);
        var index = ring.masked_select(inside);
        var selected = power.index_select(1, inside.nonzero().squeeze(1));

        var sums = zeros(batch, rings, dtype: ScalarType.Float64, device: images.device)
            .index_add(1, index, selected, 1.0);
        var counts = bincount(index, minlength: rings);
        var mean = (sums / counts.to(ScalarType.Float64)).cpu();

        var radii = Enumerable.Range(0, (int)rings).Select(r => (double)r).ToArray();
        var rows = new double[batch][];
        for (int b = 0; b < batch; b++) rows[b] = mean[b].data<double>().ToArray();
        return new RadialProfile(radii, rows, counts.cpu().data<long>().ToArray());
    }

    /// <summary>The profile averaged over the images of the batch.</summary>
    public double[] MeanPower() =>
        Enumerable.Range(0, Radii.Length).Select(r => Power.Average(row => row[r])).ToArray();

    /// <summary>Fits <c>P(f) = A·f^slope</c> to the batch-mean profile between the given radii (inclusive).</summary>
    public PowerLaw FitPowerLaw(double minRadius = 1, double? maxRadius = null) =>
        PowerLawFit.Fit(Radii, MeanPower(), minRadius, maxRadius ?? Radii[^1]);
}
