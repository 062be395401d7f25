using Folk.Lab.Frequency;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// MFM's frequency loss (Jiahao000/MFM <c>models/frequency_loss.py</c> and <c>MFM.forward</c>): the
/// distance between the orthonormal, centred spectra of prediction and target at every frequency,
/// <c>d = ((ΔRe)² + (ΔIm)² + ε)^(γ/2)</c>, optionally focal-weighted, reduced over the removed frequencies
/// (<see cref="Masked"/>, MFM) or over all of them (<see cref="Mean"/>, the restoration baselines).
/// </summary>
/// <remarks>
/// <para>Always computed in float32, whatever the input dtype (MFM casts to float32 before its FFT).</para>
/// <para>Folk.Lab transforms the difference <c>pred − target</c> once (the FFT is linear) and only its half
/// spectrum (the difference is real, so <c>d(k) = d(−k)</c>), then weights each half-spectrum column by how often it
/// occurs in the full spectrum. The value and its gradient are those of the reference formula, which
/// <see cref="Map"/> returns in full; parity with it is tested against PyTorch.</para>
/// </remarks>
/// <seealso href="../../notebooks/02-corruption-and-loss.ipynb">notebook 02</seealso>
public static class FrequencyLoss
{
    /// <summary>
    /// The unreduced loss map, B×P×C×h×w in shifted layout, float32 (1×P×C×h×w with <c>AverageSpectrum</c>),
    /// P = PatchFactor² tiles of h×w = (H/PatchFactor)×(W/PatchFactor). This is MFM's <c>FrequencyLoss.forward</c>.
    /// </summary>
    public static Tensor Map(Tensor pred, Tensor target, FrequencyLossOptions? options = null)
    {
        options = Checked(pred, target, options);
        using var scope = NewDisposeScope();
        var (distance, width) = HalfDistance(pred, target, options);
        var full = HalfSpectrum.ToFull(distance, width);
        return fft.fftshift(full, new long[] { -2, -1 }).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MFM's <c>masked</c> reduction: the mean of the loss map over every removed frequency, channel and tile,
    /// pooled over the whole batch, <c>Σ d·(1−M) / (Σ(1−M) · C · P)</c> (Jiahao000/MFM <c>models/mfm.py</c>). Not a mean of
    /// per-image means: low-pass images, with far more removed frequencies, dominate the denominator.
    /// </summary>
    /// <param name="pred">B×C×H×W prediction (normalised-image space).</param>
    /// <param name="target">B×C×H×W target (the normalised clean image).</param>
    /// <param name="mask">The mask the input was filtered with, shifted layout, 1 = kept: H×W, B×H×W, B×1×H×W or
    /// B×C×H×W (per-channel masks sum over channels instead of multiplying by C), of the tile size h×w.</param>
    /// <param name="options">Loss options; MFM defaults when null.</param>
    /// <param name="shard">In a data-parallel job, this process's place in the step: the count is pooled over the
    /// processes (<see cref="Data.BatchShard.PooledCount"/>), so that their mean is the whole step's loss.</param>
    /// <returns>A float32 scalar; 0 when the mask removes nothing (MFM would divide 0 by 0).</returns>
    public static Tensor Masked(Tensor pred, Tensor target, Tensor mask, FrequencyLossOptions? options = null, Data.BatchShard? shard = null)
    {
        options = Checked(pred, target, options);
        using var scope = NewDisposeScope();
        var (distance, width) = HalfDistance(pred, target, options);        // B'×P×C×h×(w/2+1)
        long b = pred.shape[0], c = pred.shape[1], p = distance.shape[1], h = distance.shape[3];
        Guard.SameDevice(pred, nameof(pred), mask, nameof(mask));
        var kept = mask.dim() == 2 ? mask.expand(b, h, width) : mask;        // an H×W mask counts once per image
        var removed = 1 - MaskShape.Broadcastable(kept, b, c, h, width).to(ScalarType.Float32);  // B×1|C×h×w
        var removedHalf = HalfSpectrum.SymmetricHalfOf(removed, ScalarType.Float32).unsqueeze(1); // B×1×1|C×h×(w/2+1)
        var weights = HalfSpectrum.ColumnWeights(width, ScalarType.Float32, pred.device);
        var total = (distance * removedHalf * weights).sum();
        var count = Data.BatchShard.PooledCount(shard, removed.sum() * (removed.shape[1] == 1 ? c : 1) * p);
        return (total / count.clamp_min(1e-30)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MFM's <c>normal</c> reduction: the mean of the loss map over every element (SR, Deblur, Denoise baselines).
    /// </summary>
    public static Tensor Mean(Tensor pred, Tensor target, FrequencyLossOptions? options = null)
    {
        options = Checked(pred, target, options);
        using var scope = NewDisposeScope();
        var (distance, width) = HalfDistance(pred, target, options);
        var weights = HalfSpectrum.ColumnWeights(width, ScalarType.Float32, pred.device);
        long elements = distance.shape[0] * distance.shape[1] * distance.shape[2] * distance.shape[3] * width;
        return ((distance * weights).sum() / elements).MoveToOuterDisposeScope();
    }

    /// <summary>The (weighted) distance on the half spectrum of each tile, and the tile width.</summary>
    static (Tensor Distance, long Width) HalfDistance(Tensor pred, Tensor target, FrequencyLossOptions o)
    {
        var difference = pred.to(ScalarType.Float32) - target.to(ScalarType.Float32);
        var tiles = Tiles(difference, o.PatchFactor);                          // B×P×C×h×w
        long width = tiles.shape[^1];
        var spectrum = fft.rfft2(tiles, norm: FFTNormType.Ortho);
        if (o.AverageSpectrum) spectrum = spectrum.mean(new long[] { 0 }, keepdim: true);
        var squared = view_as_real(spectrum).square().sum(-1);                // |ΔF|²
        var distance = o.Gamma == 1.0 ? (squared + o.Epsilon).sqrt() : (squared + o.Epsilon).pow(o.Gamma / 2);
        if (o.Focal != FocalWeighting.Off) distance = distance * FocalWeight(squared, o);
        return (distance, width);
    }

    /// <summary>
    /// The focal weight, detached: <c>|ΔF|^γ_m</c>, optionally <c>log(·+1)</c>, over its maximum (per image, tile
    /// and channel, or over the batch), NaN set to 0, clamped to [0,1]. The maximum over the half spectrum is the
    /// maximum over the full one, since the map is symmetric.
    /// </summary>
    static Tensor FocalWeight(Tensor squared, FrequencyLossOptions o)
    {
        using var noGrad = no_grad();
        var weight = squared.sqrt().pow(o.FocalGamma);
        if (o.LogFocalWeight) weight = weight.log1p();
        var largest = o.Focal == FocalWeighting.PerBatch ? weight.max() : weight.amax(new long[] { -2, -1 }, keepdim: true);
        weight = (weight / largest).nan_to_num(0.0).clamp(0.0, 1.0);
        return weight.detach();
    }

    /// <summary>MFM's <c>tensor2freq</c> tiling: PatchFactor² tiles stacked in row-major order as dim 1.</summary>
    static Tensor Tiles(Tensor images, int patchFactor)
    {
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (patchFactor == 1) return images.unsqueeze(1);
        long ph = h / patchFactor, pw = w / patchFactor;
        return images.view(b, c, patchFactor, ph, patchFactor, pw)
            .permute(0, 2, 4, 1, 3, 5)
            .reshape(b, patchFactor * patchFactor, c, ph, pw);
    }

    static FrequencyLossOptions Checked(Tensor pred, Tensor target, FrequencyLossOptions? options)
    {
        options ??= new FrequencyLossOptions();
        options.Validate();
        Guard.ImageBatch(pred, nameof(pred));
        Guard.SameShape(pred, nameof(pred), target, nameof(target));
        Guard.SameDevice(pred, nameof(pred), target, nameof(target));
        long h = pred.shape[2], w = pred.shape[3];
        if (h % options.PatchFactor != 0 || w % options.PatchFactor != 0)
            throw new ArgumentException(
                $"PatchFactor = {options.PatchFactor} must divide the image height and width; got {h}×{w}.", nameof(options));
        return options;
    }
}
