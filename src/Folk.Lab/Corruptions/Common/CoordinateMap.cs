using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// scipy.ndimage's <c>map_coordinates(image, coordinates, order=1, mode='reflect')</c> for B×C×H×W batches whose
/// channels share one (row, column) coordinate per output pixel: the displacement step of ImageNet-C's elastic
/// transform (hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>, which samples the H×W×3 image at
/// (y + dy, x + dx, z) with integer z).
/// </summary>
/// <remarks>
/// Restated from scipy/scipy <c>scipy/ndimage/src/ni_interpolation.c</c> (<c>map_coordinate</c> and
/// <c>NI_GeometricTransform</c>) as scipy 1.10 runs it. Along each axis of n pixels a coordinate c outside [0, n − 1]
/// is folded by the <c>reflect</c> rule (whole periods of 2n away, then c &lt; 0 becomes −c − 1 and c &gt; n − 1 becomes
/// 2n − c − 1; a c in (−10⁻¹⁵, 0) becomes 10⁻¹⁵ − 1), which can leave it in (−1, 0) or (n − 1, n); the two neighbours
/// ⌊c⌋ and ⌊c⌋ + 1 are folded by the same rule as integers (<see cref="BoundaryMode.Reflect"/>), and weigh w₀ = 1 − t
/// and w₁ = 1 − w₀ for t = c − ⌊c⌋. The result is the bilinear interpolation of the image extended symmetrically
/// about its outer pixel edges (d c b a | a b c d | d c b a): c = −0.3 reads x₀, c = n − 0.5 reads x_{n−1}. The sum
/// runs in float64 in scipy's order, ((x₀₀·wr₀)·wc₀ + (x₀₁·wr₀)·wc₁) + …, and is cast to the input's dtype; the
/// result is bit-identical to scipy 1.10's in the parity tests, for coordinates from −40 to 52 on a 12-pixel axis.
/// (Older versions of <c>ni_interpolation.c</c> read the neighbours outside the image by the mirror rule instead, so
/// files made with an older scipy, as ImageNet-C's were in 2018, can differ at pixels displaced past the border.)
/// </remarks>
public static class CoordinateMap
{
    /// <summary>Samples every channel of every image at (rows, columns), bilinearly, scipy's reflect borders.</summary>
    /// <param name="images">B×C×H×W float32 or float64.</param>
    /// <param name="rows">B×H'×W' row coordinates (float64 for scipy's precision).</param>
    /// <param name="columns">B×H'×W' column coordinates.</param>
    /// <returns>A new B×C×H'×W' tensor of the images' dtype.</returns>
    public static Tensor Linear(Tensor images, Tensor rows, Tensor columns)
    {
        Guard.ImageBatch(images, nameof(images));
        Guard.SameShape(rows, nameof(rows), columns, nameof(columns));
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (rows.dim() != 3 || rows.shape[0] != b)
            throw new ArgumentException($"rows must be B×H'×W' with B = {b}; got {Shape.Format(rows)}.", nameof(rows));
        long outH = rows.shape[1], outW = rows.shape[2];
        using var scope = NewDisposeScope();
        var (r0, r1, rw0, rw1) = Axis(rows.to(ScalarType.Float64).reshape(b, outH * outW), h);
        var (c0, c1, cw0, cw1) = Axis(columns.to(ScalarType.Float64).reshape(b, outH * outW), w);
        var flat = images.reshape(b, c, h * w).to(ScalarType.Float64);
        // ((x·wr)·wc) per neighbour, in scipy's order of products and of the sum
        Tensor Term(Tensor rowIndex, Tensor column, Tensor rowWeight, Tensor columnWeight) =>
            flat.gather(2, (rowIndex * w + column).unsqueeze(1).expand(b, c, outH * outW)).mul_(rowWeight.unsqueeze(1)).mul_(columnWeight.unsqueeze(1));
        var sum = Term(r0, c0, rw0, cw0);
        sum.add_(Term(r0, c1, rw0, cw1));
        sum.add_(Term(r1, c0, rw1, cw0));
        sum.add_(Term(r1, c1, rw1, cw1));
        return sum.to(images.dtype).reshape(b, c, outH, outW).MoveToOuterDisposeScope();
    }

    /// <summary>One axis of length n: the two neighbours (int64) and their weights. The folded coordinate lies in
    /// (−1, n), so a neighbour is at most one pixel outside, and the reflect rule sends −1 to 0 and n to n − 1.</summary>
    static (Tensor First, Tensor Second, Tensor FirstWeight, Tensor SecondWeight) Axis(Tensor coordinate, long n)
    {
        var folded = Reflect(coordinate, n);
        var start = folded.floor();
        var t = folded - start;
        var w0 = 1 - t;
        var w1 = 1 - w0;
        var first = start.to(ScalarType.Int64);
        var second = (first + 1).clamp_(0, n - 1);
        return (first.clamp_(0, n - 1), second, w0, w1);
    }

    /// <summary>scipy's <c>map_coordinate(in, len, NI_EXTEND_REFLECT)</c> for a float64 tensor of coordinates.</summary>
    internal static Tensor Reflect(Tensor c, long n)
    {
        var outside = c.lt(0).logical_or(c.gt(n - 1));
        if (!outside.any().item<bool>()) return c.alias();
        var v = c.masked_select(outside);
        Tensor folded;
        if (n <= 1) folded = zeros_like(v);
        else
        {
            double period = 2 * n;
            // v < 0: fold whole periods away (only below −2n), then v + 2n below −n, else −v − 1 (10⁻¹⁵ − 1 just below 0)
            var below = where(v.lt(-period), period * (-v / period).floor() + v, v);
            below = where(below.lt(-n), below + period, where(below.gt(-1e-15), full_like(below, 1e-15), -below) - 1);
            // v > n − 1: v − 2n·⌊v / 2n⌋, then 2n − v − 1 from n on
            var above = v - period * (v / period).floor();
            above = where(above.ge(n), period - above - 1, above);
            folded = where(v.lt(0), below, above);
        }
        return c.masked_scatter(outside, folded);
    }
}
