using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>
/// The <c>rfft2</c> layout: the W/2 + 1 non-negative column frequencies of a real image's spectrum, unshifted.
/// The other columns follow from Hermitian symmetry <c>X(−k) = conj X(k)</c>, so anything computed on the full
/// spectrum of a real image can be computed on half of it. Folk.Lab's filter and loss use this to do half the work
/// of the reference and still return the reference's numbers.
/// </summary>
internal static class HalfSpectrum
{
    /// <summary>Number of columns rfft2 keeps for a width of <paramref name="width"/>.</summary>
    public static long Columns(long width) => width / 2 + 1;

    /// <summary>
    /// Rebuilds the full (unshifted) …×H×W tensor from its half: conjugate-mirrored for complex input, mirrored for
    /// real input (magnitudes, distances: any quantity symmetric under k → −k).
    /// </summary>
    public static Tensor ToFull(Tensor half, long width)
    {
        long columns = Columns(width), missing = width - columns;
        if (half.shape[^1] != columns)
            throw new ArgumentException($"A half spectrum of width {width} has {columns} columns; got shape {Shape.Format(half)}.", nameof(half));
        if (missing == 0) return half.clone();
        using var scope = NewDisposeScope();
        // Column j ≥ columns of the full spectrum is the partner of column width − j, row (−i) mod H.
        var partners = half.narrow(-1, 1, missing).flip(-2, -1).roll(1, -2);
        if (partners.is_complex()) partners = partners.conj().resolve_conj();
        return cat(new[] { half, partners }, -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Multiplicity of each half-spectrum column in the full spectrum, shape [columns]: 1 for the DC column (and the
    /// Nyquist column when the width is even), 2 for the columns that stand for themselves and their mirror.
    /// <c>Σ_full f = Σ_half f · weight</c> for every f symmetric under k → −k.
    /// </summary>
    public static Tensor ColumnWeights(long width, ScalarType dtype, Device device)
    {
        long columns = Columns(width);
        var weights = full(columns, 2.0, dtype: dtype, device: device);
        weights[0] = 1.0;
        if (width % 2 == 0) weights[columns - 1] = 1.0;
        return weights;
    }

    /// <summary>
    /// The half of a mask given in shifted layout, made Hermitian-symmetric first: <c>(M(k) + M(−k)) / 2</c>.
    /// For a real image x, <c>real(ifft2(M·fft2(x))) = irfft2(half(Msym)·rfft2(x))</c> exactly, whatever M is, which
    /// is why symmetrising is not an approximation: it is what taking the real part does.
    /// </summary>
    public static Tensor SymmetricHalfOf(Tensor shiftedMask, ScalarType dtype)
    {
        long width = shiftedMask.shape[^1];
        using var scope = NewDisposeScope();
        var mask = shiftedMask.to(dtype);
        var symmetric = (mask + FrequencyGrid.Mirror(mask)).mul_(0.5);
        var unshifted = fft.ifftshift(symmetric, new long[] { -2, -1 });
        return unshifted.narrow(-1, 0, Columns(width)).contiguous().MoveToOuterDisposeScope();
    }
}
