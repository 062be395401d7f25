using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>
/// Centred 2-D spectra of image batches (…×H×W, typically B×C×H×W), their exact inverse and the usual views.
/// </summary>
/// <remarks>
/// <para>"Centred" means <c>fftshift(fft2(x))</c> over the last two axes: DC at (H/2, W/2), see
/// <see cref="FrequencyGrid"/>. Even and odd sizes are both supported; <see cref="Inverse"/> undoes the shift
/// with <c>ifftshift</c>, which differs from <c>fftshift</c> for odd sizes.</para>
/// <para>Half-precision inputs are computed in float32 (libtorch has no bf16 FFT on CPU, and MFM keeps FFTs in
/// float32); float64 stays float64.</para>
/// </remarks>
/// <seealso href="../../notebooks/00-frequency-primer.ipynb">notebook 00, the frequency primer</seealso>
public static class Spectrum
{
    static readonly long[] SpatialDims = { -2, -1 };

    /// <summary>Centred spectrum <c>fftshift(fft2(x, norm))</c>, complex, same leading shape as the input.</summary>
    /// <param name="images">…×H×W real or complex tensor.</param>
    /// <param name="norm">Backward (MFM's corruption, default) or Ortho (MFM's loss: Parseval holds).</param>
    public static Tensor Centered(Tensor images, FFTNormType norm = FFTNormType.Backward)
    {
        RequireSpatial(images, nameof(images));
        using var scope = NewDisposeScope();
        var spectrum = fft.fft2(ComputeDtype(images), dim: SpatialDims, norm: norm);
        return fft.fftshift(spectrum, SpatialDims).MoveToOuterDisposeScope();
    }

    /// <summary>Exact inverse of <see cref="Centered"/>: <c>ifft2(ifftshift(X), norm)</c>, complex.</summary>
    public static Tensor Inverse(Tensor centered, FFTNormType norm = FFTNormType.Backward)
    {
        RequireSpatial(centered, nameof(centered));
        using var scope = NewDisposeScope();
        var unshifted = fft.ifftshift(centered, SpatialDims);
        return fft.ifft2(unshifted, dim: SpatialDims, norm: norm).MoveToOuterDisposeScope();
    }

    /// <summary>Magnitude on a log scale, <c>log(1 + |X|)</c>: the picture everyone means by "the spectrum".</summary>
    public static Tensor LogMagnitude(Tensor centered)
    {
        RequireComplex(centered);
        using var magnitude = centered.abs();
        return magnitude.log1p();
    }

    /// <summary>Phase <c>arg X</c> in (−π, π].</summary>
    public static Tensor Phase(Tensor centered)
    {
        RequireComplex(centered);
        return centered.angle();
    }

    /// <summary>Power <c>|X|²</c>, real.</summary>
    public static Tensor Power(Tensor centered)
    {
        RequireComplex(centered);
        using var magnitude = centered.abs();
        return magnitude.square();
    }

    /// <summary>The dtype FFTs run in: float64 stays, complex stays, everything else becomes float32.</summary>
    internal static Tensor ComputeDtype(Tensor x) =>
        x.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64
            ? x.alias()
            : x.to(ScalarType.Float32);

    static void RequireSpatial(Tensor x, string name)
    {
        if (x.dim() < 2)
            throw new ArgumentException($"{name} must have at least two dimensions (…×H×W); got shape {Shape.Format(x)}.", name);
    }

    static void RequireComplex(Tensor x)
    {
        if (!x.is_complex())
            throw new ArgumentException(
                $"Expected a complex spectrum (from Spectrum.Centered); got dtype {x.dtype}, shape {Shape.Format(x)}.", "centered");
    }
}
