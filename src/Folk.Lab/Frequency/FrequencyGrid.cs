using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Frequency;

/// <summary>
/// Coordinates of a centred (fftshift-ed) spectrum: the geometry that masks, radial profiles and views share.
/// </summary>
/// <remarks>
/// After <c>fftshift</c> the DC term of an N-point axis sits at index <c>N / 2</c> (integer division) for even and
/// odd N alike, which is the centre MFM's mask generator uses (<c>input_size // 2</c>, Jiahao000/MFM <c>data/data_mfm.py</c>). Index
/// <c>i</c> therefore holds the signed frequency <c>i − N/2</c> in cycles per image.
/// </remarks>
public static class FrequencyGrid
{
    /// <summary>Index of the DC term on an axis of <paramref name="length"/> points after fftshift.</summary>
    public static long Center(long length) => length / 2;

    /// <summary>
    /// Squared distance of every frequency from DC, <c>(y − H/2)² + (x − W/2)²</c>, as an H×W float32 tensor in
    /// shifted layout. Squared distances of integer offsets are exact in float32 up to 4096², so the strict
    /// <c>&lt; r²</c> tests of the masks are exact.
    /// </summary>
    public static Tensor SquaredRadius(long height, long width, Device? device = null)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        using var scope = NewDisposeScope();
        var y = arange(height, dtype: ScalarType.Float32, device: device) - Center(height);
        var x = arange(width, dtype: ScalarType.Float32, device: device) - Center(width);
        return (y.square().unsqueeze(1) + x.square().unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>Distance of every frequency from DC in cycles per image, H×W float32, shifted layout.</summary>
    public static Tensor Radius(long height, long width, Device? device = null)
    {
        using var squared = SquaredRadius(height, width, device);
        return squared.sqrt();
    }

    /// <summary>
    /// The value at the Hermitian partner −k of every frequency k, for a tensor whose last two axes are a spectrum
    /// in shifted layout: <c>result[..., i, j] = x[..., (2·cy − i) mod H, (2·cx − j) mod W]</c>.
    /// </summary>
    /// <remarks>
    /// For odd N, <c>2·(N/2) = N − 1</c> and the partner of index i is <c>N − 1 − i</c>: a flip. For even N the flip
    /// lands one place off and a roll by one puts it right (the Nyquist index pairs with itself).
    /// A spectrum of a real image satisfies <c>X(−k) = conj X(k)</c>; a mask M with <c>Mirror(M) == M</c> keeps
    /// that symmetry, so its filtered image is real.
    /// </remarks>
    public static Tensor Mirror(Tensor x)
    {
        if (x.dim() < 2) throw new ArgumentException($"Mirror needs at least two dimensions (…×H×W); got shape {Shape.Format(x)}.", nameof(x));
        long h = x.shape[^2], w = x.shape[^1];
        using var flipped = x.flip(-2, -1);
        long rollH = h % 2 == 0 ? 1 : 0, rollW = w % 2 == 0 ? 1 : 0;
        if (rollH == 0 && rollW == 0) return flipped.clone();
        return flipped.roll(new[] { rollH, rollW }, new long[] { -2, -1 });
    }
}
