using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// scipy.ndimage's <c>zoom(x, factor, order=1)</c> over the two spatial axes of a B×C×H×W batch (mode
/// <c>constant</c>, <c>grid_mode=False</c>, the defaults ImageNet-C calls it with in <c>clipped_zoom</c>;
/// hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>).
/// </summary>
/// <remarks>
/// Restated from scipy 1.10 <c>scipy/ndimage/_interpolation.py</c> (<c>zoom</c>) and
/// <c>scipy/ndimage/src/ni_interpolation.c</c> (<c>NI_ZoomShift</c>): an axis of n samples becomes
/// m = round(n·factor) samples (Python's round, ties to even); output sample k reads the input at
/// c = k·((n − 1)/(m − 1)) in float64, linearly between ⌊c⌋ and ⌊c⌋ + 1 with weights 1 − t and 1 − (1 − t). Two
/// corner cases are kept because they change pixels: when rounding puts c above n − 1 (by one ulp), <c>constant</c>
/// mode maps the sample outside the image and it becomes 0 (scipy's cval); a second tap beyond the last sample
/// reads its mirror image with weight ≈ 0. The two axes are interpolated one after the other (rows, then columns) in
/// float64, where scipy sums the four bilinear products at once, also in float64: the results agree to float64
/// rounding and are cast back to the input's dtype, as scipy's output is.
/// </remarks>
public static class LinearZoom
{
    /// <summary>The output length scipy gives an axis of <paramref name="length"/> samples: <c>int(round(n·factor))</c>.</summary>
    public static int OutputLength(int length, double factor) =>
        (int)Math.Round(length * factor, MidpointRounding.ToEven);

    /// <summary>The m×n float64 interpolation matrix of one axis: row k holds the weights output sample k gives the input.</summary>
    public static double[,] Matrix(int length, int outputLength)
    {
        var (first, second, firstWeight, secondWeight) = Taps(length, outputLength);
        var weights = new double[outputLength, length];
        for (int k = 0; k < outputLength; k++)
        {
            weights[k, first[k]] += firstWeight[k];
            weights[k, second[k]] += secondWeight[k];
        }
        return weights;
    }

    /// <summary>Per output sample, the two input samples it reads and their weights (both 0 where scipy's constant
    /// mode puts the sample outside the input).</summary>
    static (long[] First, long[] Second, double[] FirstWeight, double[] SecondWeight) Taps(int length, int outputLength)
    {
        if (length < 1 || outputLength < 1)
            throw new ArgumentOutOfRangeException(nameof(length), $"Both lengths must be positive; got {length} → {outputLength}.");
        // scipy: zoom = (n − 1)/(m − 1), or 1 where m − 1 = 0
        double zoom = outputLength > 1 ? (double)(length - 1) / (outputLength - 1) : 1.0;
        var first = new long[outputLength];
        var second = new long[outputLength];
        var firstWeight = new double[outputLength];
        var secondWeight = new double[outputLength];
        for (int k = 0; k < outputLength; k++)
        {
            double c = k * zoom;
            if (c > length - 1) continue;                                    // constant mode: outside → cval 0
            long start = (long)Math.Floor(c);
            double t = c - start;
            first[k] = start;
            second[k] = start + 1 < length ? start + 1 : GaussianFilter.SourceIndex(start + 1, length, BoundaryMode.Mirror);
            firstWeight[k] = 1.0 - t;
            secondWeight[k] = 1.0 - firstWeight[k];
        }
        return (first, second, firstWeight, secondWeight);
    }

    /// <summary>Zooms every channel of a B×C×H×W batch by <paramref name="factor"/> along H and W.</summary>
    /// <returns>B×C×round(H·factor)×round(W·factor), in the input's dtype.</returns>
    public static Tensor Apply(Tensor images, double factor)
    {
        Guard.ImageBatch(images, nameof(images));
        Guard.Positive(factor, nameof(factor));
        using var scope = NewDisposeScope();
        var x = images.to(ScalarType.Float64);
        foreach (int dimension in new[] { 2, 3 })
        {
            int n = (int)x.shape[dimension], m = OutputLength(n, factor);
            var (first, second, firstWeight, secondWeight) = Taps(n, m);
            var shape = dimension == 2 ? new long[] { 1, 1, m, 1 } : new long[] { 1, 1, 1, m };
            var w0 = tensor(firstWeight, device: x.device).reshape(shape);
            var w1 = tensor(secondWeight, device: x.device).reshape(shape);
            x = x.index_select(dimension, tensor(first, device: x.device)) * w0
                + x.index_select(dimension, tensor(second, device: x.device)) * w1;
        }
        return x.to(images.dtype).MoveToOuterDisposeScope();
    }
}
