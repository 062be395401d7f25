using Folk.Lab.Frequency;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>
/// FOLK's Com filter: keep the frequencies that carry the image's content, the largest in magnitude, and remove the
/// rest, as lossy image compression does (FOLK paper, arXiv 2409.10362, §3.2.1 and Appendix A.4).
/// </summary>
/// <remarks>
/// <para>Magnitudes come from the default-norm FFT of the [0,1] image (the norm does not change a ranking). They are
/// computed on the half spectrum and mirrored, so the magnitude map is exactly symmetric under k → −k and, through
/// <see cref="LargestFrequencies"/>, every Com mask is Hermitian-symmetric: partners are kept or removed together.
/// With <see cref="ComThreshold.KeepFraction"/> a mask keeps ⌈τ·H·W⌉ frequencies, or one more when the partner of the
/// last one is needed. DC is essentially always the largest, so Com keeps it and RCom removes it.</para>
/// <para>FOLK's code was never published; each reading of the paper that had to be chosen is a switch in
/// <see cref="ComMaskOptions"/>.</para>
/// </remarks>
/// <seealso href="../../notebooks/01-mask-gallery.ipynb">notebook 01, the mask gallery</seealso>
public sealed class ComMask : IFrequencyMask
{
    /// <summary>τ: keep fraction or magnitude fraction, per <see cref="ComMaskOptions.Threshold"/>.</summary>
    public double Tau { get; }

    /// <summary>Ranking and threshold options.</summary>
    public ComMaskOptions Options { get; }

    /// <summary>A Com mask with a fixed τ (0.01 by default, the middle of the reviewer's {0.005, 0.01, 0.05}).</summary>
    public ComMask(double tau = 0.01, ComMaskOptions? options = null)
    {
        Guard.OpenUnitInterval(tau, nameof(tau));
        Tau = tau;
        Options = options ?? new ComMaskOptions();
    }

    /// <inheritdoc/>
    public MaskBatch Sample(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        Guard.ImageBatch(images, nameof(images));
        var taus = Enumerable.Repeat(Tau, (int)images.shape[0]).ToArray();
        var masks = Compute(images, taus, Options);
        return new MaskBatch(masks, taus.Select(t => new MaskSample(MaskKind.Com, t)).ToArray());
    }

    /// <summary>Com masks of a batch, one τ per image.</summary>
    /// <param name="images">B×C×H×W, float32 in [0,1].</param>
    /// <param name="taus">τ of each image, each strictly between 0 and 1.</param>
    /// <param name="options">Ranking and threshold options.</param>
    /// <returns>B×H×W float32 (B×C×H×W for <see cref="ComChannels.PerChannel"/>), shifted layout, 1 = kept.</returns>
    public static Tensor Compute(Tensor images, IReadOnlyList<double> taus, ComMaskOptions? options = null)
    {
        Guard.ImageBatch(images, nameof(images));
        options ??= new ComMaskOptions();
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (taus.Count != b) throw new ArgumentException($"taus must hold one τ per image ({b}); got {taus.Count}.", nameof(taus));
        for (int i = 0; i < taus.Count; i++) Guard.OpenUnitInterval(taus[i], $"taus[{i}]");

        using var scope = NewDisposeScope();
        var magnitude = Magnitude(images, options.Channels);                 // R×H×W, R = B or B·C
        long rows = magnitude.shape[0], perImage = rows / b;
        var rowTaus = taus.SelectMany(t => Enumerable.Repeat(t, (int)perImage)).ToArray();

        Tensor masks;
        if (options.Threshold == ComThreshold.KeepFraction)
        {
            var counts = rowTaus.Select(t => Math.Clamp((long)Math.Ceiling(t * h * w), 1, h * w)).ToArray();
            masks = LargestFrequencies.Keep(magnitude, counts);
        }
        else
        {
            var tau = tensor(rowTaus, dtype: magnitude.dtype, device: magnitude.device).view(rows, 1, 1);
            var largest = magnitude.amax(new long[] { 1, 2 }, keepdim: true);
            masks = magnitude.ge(tau * largest).to(ScalarType.Float32);
        }
        var shaped = options.Channels == ComChannels.PerChannel ? masks.view(b, c, h, w) : masks;
        return shaped.MoveToOuterDisposeScope();
    }

    /// <summary>The magnitude map that ranks frequencies: R×H×W in shifted layout, exactly symmetric.</summary>
    static Tensor Magnitude(Tensor images, ComChannels channels)
    {
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var x = Spectrum.ComputeDtype(images);
        if (channels == ComChannels.Luminance)
        {
            if (c != 3 && c != 1)
                throw new ArgumentException($"Luminance ranking needs 1 or 3 channels; got {c} (images {Shape.Format(images)}).", nameof(images));
            if (c == 3)
            {
                var weights = tensor(new[] { 0.299f, 0.587f, 0.114f }, device: x.device).to(x.dtype).view(1, 3, 1, 1);
                x = (x * weights).sum(1, keepdim: true);
            }
        }
        var half = fft.rfft2(x).abs();                                     // B×C'×H×(W/2+1)
        if (channels == ComChannels.Shared) half = half.sum(1, keepdim: true);
        var full = fft.fftshift(HalfSpectrum.ToFull(half, w), new long[] { -2, -1 });
        return full.reshape(-1, h, w);
    }
}
