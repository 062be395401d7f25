using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// scipy.ndimage's <c>gaussian_filter</c> over the two spatial axes of a B×C×H×W batch, each channel on its own:
/// a separable correlation with exp(−x²/2σ²) on x = −r…r, r = ⌊truncate·σ + ½⌋, normalised to sum 1, and the edges
/// read as <see cref="BoundaryMode"/> says (scipy/scipy <c>scipy/ndimage/_filters.py</c>, <c>gaussian_filter1d</c> and
/// <c>_gaussian_kernel1d</c>). skimage's <c>filters.gaussian(x, σ, multichannel=True)</c>, which ImageNet-C's glass
/// blur calls, is this with <see cref="BoundaryMode.Nearest"/>; its elastic transform calls it with
/// <see cref="BoundaryMode.Reflect"/> and truncate 3.
/// </summary>
/// <remarks>
/// <para>The borders are built by index arithmetic (<see cref="SourceIndex"/>), so a radius wider than the image
/// reflects again, as scipy does: ImageNet-C's elastic transform filters 224-pixel fields with σ = 170.8 and truncate 3,
/// a 1025-tap kernel. A kernel longer than the axis is applied as the equivalent n×n matrix (every tap folded onto the
/// pixel it reads), which costs n² per line instead of n·(2r + 1) and never builds the padded copy; a shorter kernel
/// is applied tap by tap to a padded copy.</para>
/// <para>Accumulates in the input's dtype: pass float64 to accumulate as scipy does (it always works in float64); in
/// float32 the difference is float32 rounding. σ = 0 leaves the input unchanged, as scipy skips an axis whose σ is 0
/// (CIFAR-10-C's elastic transform at severity 1 asks for it).</para>
/// </remarks>
public static class GaussianFilter
{
    /// <summary>The normalised 1-D kernel of length 2r + 1, float64: scipy's <c>_gaussian_kernel1d(σ, 0, r)</c>,
    /// exp(−½/σ² · x²) normalised by its sum.</summary>
    public static double[] Kernel(double sigma, double truncate = 4.0)
    {
        Guard.Positive(sigma, nameof(sigma));
        Guard.Positive(truncate, nameof(truncate));
        int radius = (int)(truncate * sigma + 0.5);
        double scale = -0.5 / (sigma * sigma);
        var weights = new double[2 * radius + 1];
        for (int x = -radius; x <= radius; x++) weights[x + radius] = Math.Exp(scale * (x * x));
        double sum = weights.Sum();
        for (int i = 0; i < weights.Length; i++) weights[i] /= sum;
        return weights;
    }

    /// <summary>Filters every channel of a B×C×H×W batch with σ ≥ 0 along both spatial axes (σ = 0: a copy).</summary>
    public static Tensor Apply(Tensor images, double sigma, BoundaryMode mode, double truncate = 4.0)
    {
        Guard.ImageBatch(images, nameof(images));
        Guard.NonNegative(sigma, nameof(sigma));
        if (sigma == 0) return images.clone();
        using var scope = NewDisposeScope();
        var kernel = Kernel(sigma, truncate);
        var rows = Along(images, kernel, mode, dimension: 2);
        return Along(rows, kernel, mode, dimension: 3).MoveToOuterDisposeScope();
    }

    /// <summary>Correlates every channel with a 1-D kernel along one spatial axis (2 = rows, 3 = columns).</summary>
    public static Tensor Along(Tensor images, double[] kernel, BoundaryMode mode, int dimension)
    {
        Guard.ImageBatch(images, nameof(images));
        if (dimension is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "2 (rows) or 3 (columns)");
        if (kernel.Length % 2 == 0) throw new ArgumentException($"The kernel needs an odd length; got {kernel.Length}.", nameof(kernel));
        using var scope = NewDisposeScope();
        int radius = kernel.Length / 2;
        long n = images.shape[dimension];
        if (kernel.Length > n)
        {
            var matrix = FoldedMatrix(kernel, n, mode).to(images.dtype);                // n×n: out[i] = Σ_j M[i, j] x[j]
            var result = dimension == 3 ? matmul(images, matrix.t()) : matmul(matrix, images);
            return result.MoveToOuterDisposeScope();
        }
        // Σ_k w_k · padded[i + k]: one multiply-add per tap over the whole batch (a float64 conv2d with a 1×(2r + 1)
        // kernel takes libtorch's slow im2col path, about 20 times longer for the elastic transform's fields)
        var padded = Pad(images, radius, n, mode, dimension);
        var sum = padded.narrow(dimension, 0, n) * kernel[0];
        for (int k = 1; k < kernel.Length; k++) sum.add_(padded.narrow(dimension, k, n), kernel[k]);
        return sum.MoveToOuterDisposeScope();
    }

    /// <summary>The n×n float64 matrix of a correlation with <paramref name="kernel"/> on an axis of n pixels read as
    /// <paramref name="mode"/> says: tap k of output i adds its weight to the pixel <see cref="SourceIndex"/> names.</summary>
    static Tensor FoldedMatrix(double[] kernel, long n, BoundaryMode mode)
    {
        int radius = kernel.Length / 2;
        var m = new double[n * n];
        for (long i = 0; i < n; i++)
            for (int k = 0; k < kernel.Length; k++)
            {
                long at = i + k - radius;
                if (mode == BoundaryMode.Constant)
                {
                    if (at >= 0 && at < n) m[i * n + at] += kernel[k];           // zeros outside add nothing
                }
                else m[i * n + SourceIndex(at, n, mode)] += kernel[k];
            }
        return tensor(m, new[] { n, n });
    }

    /// <summary>Extends one axis by <paramref name="radius"/> on each side as <paramref name="mode"/> reads it.</summary>
    static Tensor Pad(Tensor images, int radius, long n, BoundaryMode mode, int dimension)
    {
        if (radius == 0) return images.alias();
        if (mode == BoundaryMode.Constant)
            return pad(images, dimension == 3 ? new long[] { radius, radius, 0, 0 } : new long[] { 0, 0, radius, radius });
        var index = new long[n + 2 * radius];
        for (long i = -radius; i < n + radius; i++) index[i + radius] = SourceIndex(i, n, mode);
        using var indices = tensor(index, device: images.device);
        return images.index_select(dimension, indices);
    }

    /// <summary>The pixel that position <paramref name="i"/> (possibly outside 0…n−1, by any distance) reads under
    /// <paramref name="mode"/>: numpy.pad's <c>symmetric</c>, <c>reflect</c>, <c>edge</c> and <c>wrap</c> for
    /// <see cref="BoundaryMode.Reflect"/>, <see cref="BoundaryMode.Mirror"/>, <see cref="BoundaryMode.Nearest"/> and
    /// <see cref="BoundaryMode.Wrap"/>. Mirror is also OpenCV's <c>borderInterpolate</c> with BORDER_REFLECT_101.</summary>
    public static long SourceIndex(long i, long n, BoundaryMode mode)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "An axis needs at least one pixel.");
        switch (mode)
        {
            case BoundaryMode.Nearest:
                return Math.Clamp(i, 0, n - 1);
            case BoundaryMode.Wrap:
                return ((i % n) + n) % n;
            case BoundaryMode.Reflect:
            {
                long period = 2 * n, k = ((i % period) + period) % period;
                return k < n ? k : period - 1 - k;
            }
            case BoundaryMode.Mirror:
            {
                if (n == 1) return 0;
                long period = 2 * n - 2, k = ((i % period) + period) % period;
                return k < n ? k : period - k;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "constant borders have no source pixel");
        }
    }
}
