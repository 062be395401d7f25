using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>
/// MFM's corruption: keep the frequencies a mask keeps, remove the rest.
/// <c>x̃ = clamp(real(ifft2(ifftshift(fftshift(fft2(x)) · M))), 0, 1)</c> with the default ("backward") norm
/// (Jiahao000/MFM <c>models/mfm.py</c>, <c>MFM.frequency_transform</c>).
/// </summary>
/// <remarks>
/// Computed as <c>irfft2(rfft2(x) · half(Msym))</c>, which is the same number (see
/// <see cref="HalfSpectrum.SymmetricHalfOf"/>): the mask is moved to unshifted layout instead of shifting the
/// spectrum twice, and only the non-negative column frequencies are transformed. Parity with the literal formula is
/// tested against PyTorch.
/// </remarks>
/// <seealso href="../../notebooks/02-corruption-and-loss.ipynb">notebook 02</seealso>
public static class FrequencyFilter
{
    /// <summary>Filters a batch of images.</summary>
    /// <param name="images">B×C×H×W, float32 (or float64) in [0,1], not normalised.</param>
    /// <param name="mask">Shifted layout, 1 = kept: H×W (one mask for all), B×H×W (one per image, shared by the
    /// channels, as MFM), B×1×H×W, or B×C×H×W (one per channel). Any real or bool dtype.</param>
    /// <param name="clamp">Clamp to [0,1] as MFM does (default). False filters normalised pixels unclamped, FOLK
    /// ambiguity #4's alternative.</param>
    /// <returns>B×C×H×W in the images' floating dtype (float32 for half-precision input).</returns>
    public static Tensor Apply(Tensor images, Tensor mask, bool clamp = true)
    {
        Guard.ImageBatch(images, nameof(images));
        using var scope = NewDisposeScope();
        var x = Spectrum.ComputeDtype(images);
        long h = x.shape[2], w = x.shape[3];
        Guard.SameDevice(images, nameof(images), mask, nameof(mask));
        var batchMask = MaskShape.Broadcastable(mask, images.shape[0], images.shape[1], h, w);
        var half = HalfSpectrum.SymmetricHalfOf(batchMask, x.dtype);
        var filtered = fft.irfft2(fft.rfft2(x) * half, s: new[] { h, w });
        if (clamp) filtered.clamp_(0.0, 1.0);
        return filtered.MoveToOuterDisposeScope();
    }
}
