using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// OpenCV's <c>cv2.getAffineTransform</c> and <c>cv2.warpAffine(src, M, (w, h), flags=INTER_LINEAR,
/// borderMode=BORDER_REFLECT_101)</c>, restated for B×C×H×W batches: the affine step of ImageNet-C's elastic
/// transform (hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>, <c>elastic_transform</c>).
/// </summary>
/// <remarks>
/// OpenCV's bilinear warp does not sample at the exact position (opencv/opencv <c>modules/imgproc/src/imgwarp.cpp</c>,
/// <c>WarpAffineInvoker</c> and <c>remapBilinear</c>, as of OpenCV 4.6): it inverts M, computes each source position
/// in fixed point with 10 fractional bits (rounding each of M₀₀·x·1024, M₁₀·x·1024 and (M₀₁·y + M₀₂)·1024 half to even,
/// adding 1024/64 and shifting right by 5), so positions fall on a 1/32-pixel grid, and weighs the four neighbours
/// with float32 products of (1 − i/32, i/32). Neighbours outside the image are read through BORDER_REFLECT_101
/// (<see cref="BoundaryMode.Mirror"/>). Folk.Lab does the same, in the same float32 order, and its warp is
/// bit-identical to OpenCV 4.6's in the parity tests (shifts, rotations, shears, and positions far outside the image).
/// </remarks>
public static class AffineWarp
{
    const int FractionBits = 10;                 // AB_BITS
    const int TableBits = 5;                     // INTER_BITS: positions on a 1/32-pixel grid
    const int TableSize = 1 << TableBits;        // INTER_TAB_SIZE

    /// <summary>
    /// <c>cv2.getAffineTransform(src, dst)</c>: the 2×3 matrix [a b c; d e f], row-major, with (a·x + b·y + c, d·x + e·y + f)
    /// = dst[k] for the three points src[k] = (x, y). OpenCV writes the six equations as one 6×6 system and solves it
    /// by LU decomposition with partial pivoting in float64; so does this.
    /// </summary>
    public static double[] FromPoints(IReadOnlyList<(float X, float Y)> source, IReadOnlyList<(float X, float Y)> destination)
    {
        if (source.Count != 3 || destination.Count != 3)
            throw new ArgumentException($"An affine map is fixed by three points; got {source.Count} and {destination.Count}.");
        var a = new double[36];
        var b = new double[6];
        for (int i = 0; i < 3; i++)
        {
            int j = i * 12, k = i * 12 + 6;
            a[j] = a[k + 3] = source[i].X;
            a[j + 1] = a[k + 4] = source[i].Y;
            a[j + 2] = a[k + 5] = 1;
            b[i * 2] = destination[i].X;
            b[i * 2 + 1] = destination[i].Y;
        }
        SolveLu(a, b, 6);
        return b;
    }

    /// <summary>Gaussian elimination with partial pivoting, in place (OpenCV's <c>LUImpl</c> for one right-hand side).</summary>
    static void SolveLu(double[] a, double[] b, int m)
    {
        for (int i = 0; i < m; i++)
        {
            int k = i;
            for (int j = i + 1; j < m; j++)
                if (Math.Abs(a[j * m + i]) > Math.Abs(a[k * m + i])) k = j;
            if (Math.Abs(a[k * m + i]) < double.Epsilon * 10)
                throw new ArgumentException("The three source points are collinear: no affine map sends them to the destination.");
            if (k != i)
            {
                for (int j = i; j < m; j++) (a[i * m + j], a[k * m + j]) = (a[k * m + j], a[i * m + j]);
                (b[i], b[k]) = (b[k], b[i]);
            }
            double d = -1 / a[i * m + i];
            for (int j = i + 1; j < m; j++)
            {
                double alpha = a[j * m + i] * d;
                for (int c = i + 1; c < m; c++) a[j * m + c] += alpha * a[i * m + c];
                b[j] += alpha * b[i];
            }
        }
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int c = i + 1; c < m; c++) s -= a[i * m + c] * b[c];
            b[i] = s / a[i * m + i];
        }
    }

    /// <summary>
    /// <c>cv2.warpAffine(image, M, (W, H), flags=INTER_LINEAR, borderMode=BORDER_REFLECT_101)</c> for every image:
    /// output pixel (x, y) reads the input at M⁻¹·(x, y), bilinearly, on OpenCV's 1/32-pixel grid.
    /// </summary>
    /// <param name="images">B×C×H×W float32 on the CPU.</param>
    /// <param name="matrices">One forward 2×3 matrix (row-major) per image, as <see cref="FromPoints"/> returns.</param>
    /// <returns>A new B×C×H×W float32 tensor.</returns>
    public static Tensor Apply(Tensor images, IReadOnlyList<double[]> matrices)
    {
        Guard.ImageBatch(images, nameof(images));
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (matrices.Count != b) throw new ArgumentException($"Expected one matrix per image ({b}); got {matrices.Count}.", nameof(matrices));
        if (images.dtype != ScalarType.Float32) throw new ArgumentException($"Expected float32 images; got {images.dtype}.", nameof(images));
        using var scope = NewDisposeScope();
        var (x, y) = SourcePositions(matrices, h, w);                                   // B×(H·W), in 1/32 pixel
        var ix = (x / TableSize).floor_();
        var iy = (y / TableSize).floor_();
        var tx1 = ((x - ix * TableSize) * (1.0 / TableSize)).to(ScalarType.Float32);   // i/32, exact in float32
        var ty1 = ((y - iy * TableSize) * (1.0 / TableSize)).to(ScalarType.Float32);
        var tx0 = 1 - tx1;
        var ty0 = 1 - ty1;
        var x0 = Mirror(ix, w); var x1 = Mirror(ix + 1, w);
        var y0 = Mirror(iy, h); var y1 = Mirror(iy + 1, h);
        var flat = images.reshape(b, c, h * w);
        Tensor Read(Tensor row, Tensor column) =>
            flat.gather(2, (row * w + column).to(ScalarType.Int64).unsqueeze(1).expand(b, c, h * w));
        // remapBilinear: S00·w0 + S01·w1 + S10·w2 + S11·w3, w = (ty0·tx0, ty0·tx1, ty1·tx0, ty1·tx1), in float32
        var sum = Read(y0, x0) * (ty0 * tx0).unsqueeze(1);
        sum = sum + Read(y0, x1) * (ty0 * tx1).unsqueeze(1);
        sum = sum + Read(y1, x0) * (ty1 * tx0).unsqueeze(1);
        sum = sum + Read(y1, x1) * (ty1 * tx1).unsqueeze(1);
        return sum.reshape(b, c, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>warpAffine's inversion of the forward matrix (it maps destination pixels back to the source).</summary>
    static double[] Inverse(double[] m)
    {
        if (m.Length != 6) throw new ArgumentException($"An affine matrix has six entries (2×3, row-major); got {m.Length}.", nameof(m));
        var r = (double[])m.Clone();
        double d = r[0] * r[4] - r[1] * r[3];
        d = d != 0 ? 1.0 / d : 0;
        double a11 = r[4] * d, a22 = r[0] * d;
        r[0] = a11; r[1] *= -d;
        r[3] *= -d; r[4] = a22;
        double b1 = -r[0] * r[2] - r[1] * r[5];
        double b2 = -r[3] * r[2] - r[4] * r[5];
        r[2] = b1; r[5] = b2;
        return r;
    }

    /// <summary>
    /// WarpAffineInvoker's source positions of every output pixel, in units of 1/32 pixel: X = (X₀(y) + Δa(x)) &gt;&gt; 5
    /// with X₀(y) = round((M₀₁·y + M₀₂)·1024) + 16 and Δa(x) = round(M₀₀·x·1024) on the inverted matrix, Y likewise.
    /// The per-row and per-column terms are computed here; the sum and the shift (an exact floor division by 32 of an
    /// integer held in float64) run as tensor operations. Returns two B×(H·W) float64 tensors.
    /// </summary>
    static (Tensor X, Tensor Y) SourcePositions(IReadOnlyList<double[]> matrices, long h, long w)
    {
        const int scale = 1 << FractionBits, roundDelta = scale / TableSize / 2;
        int b = matrices.Count;
        var rowX = new double[b * h]; var rowY = new double[b * h];
        var columnX = new double[b * w]; var columnY = new double[b * w];
        for (int i = 0; i < b; i++)
        {
            var m = Inverse(matrices[i]);
            for (long x = 0; x < w; x++)
            {
                columnX[i * w + x] = Round(m[0] * x * scale);
                columnY[i * w + x] = Round(m[3] * x * scale);
            }
            for (long y = 0; y < h; y++)
            {
                rowX[i * h + y] = Round((m[1] * y + m[2]) * scale) + roundDelta;
                rowY[i * h + y] = Round((m[4] * y + m[5]) * scale) + roundDelta;
            }
        }
        Tensor Positions(double[] rows, double[] columns) =>
            ((tensor(rows, new long[] { b, h, 1 }) + tensor(columns, new long[] { b, 1, w })) / (1 << (FractionBits - TableBits))).floor_().reshape(b, h * w);
        return (Positions(rowX, columnX), Positions(rowY, columnY));
    }

    /// <summary>OpenCV's <c>saturate_cast&lt;int&gt;(double)</c>: round half to even.</summary>
    static double Round(double v) => Math.Round(v, MidpointRounding.ToEven);

    /// <summary><see cref="GaussianFilter.SourceIndex"/> with <see cref="BoundaryMode.Mirror"/>, for a tensor of integer positions.</summary>
    internal static Tensor Mirror(Tensor index, long n)
    {
        if (n == 1) return zeros_like(index);
        double period = 2 * n - 2;
        var k = index.remainder(period);
        return where(k.lt(n), k, period - k);
    }
}
