using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// Pillow's <c>Image.resize(size, Image.BOX)</c>, restated for B×C×H×W batches: the two resizes of ImageNet-C's
/// pixelate (hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>, <c>pixelate</c>).
/// </summary>
/// <remarks>
/// <para>Restated from python-pillow/Pillow <c>src/libImaging/Resample.c</c> (<c>precompute_coeffs</c> with
/// <c>box_filter</c>, support ½). Output pixel i of an axis resized from n to m has its centre at (i + ½)·s in input
/// coordinates, s = n / m, and takes the input pixels j whose centres lie within half an output pixel of it:
/// (j + ½ − centre)/max(s, 1) in (−½, ½]. Each such pixel weighs 1 and the weights are normalised. The box is
/// point-sampled, not an area average: an input pixel that straddles two output pixels counts wholly in the one that
/// holds its centre (Pillow's documentation: "each pixel of source image contributes to one pixel of the destination
/// image with identical weights"). Going up (s &lt; 1) this is nearest-neighbour sampling. The weights are computed
/// in float64 with Pillow's own expressions, so the same pixels fall on each side of the boundary.</para>
/// <para>Pillow resizes along the width first, then along the height. On images of mode <c>F</c> it sums in float64
/// and stores float32 between and after the passes; so does this, and for float inputs the two agree to float32
/// rounding. On 8-bit RGB images, ImageNet-C's case, Pillow uses 22-bit fixed-point weights and rounds to 8 bits after
/// each pass: that differs from the float result by at most one 8-bit level (measured in the parity tests). Folk.Lab
/// does not quantise: its images are float, and the 8-bit rounding is a property of how the original stored pixels,
/// not of the corruption.</para>
/// </remarks>
public static class BoxResize
{
    /// <summary>Pillow's BOX coefficients for an axis resized from <paramref name="inSize"/> to <paramref name="outSize"/>
    /// pixels: an <paramref name="outSize"/>×<paramref name="inSize"/> float64 matrix whose rows sum to 1.</summary>
    public static double[,] Weights(int inSize, int outSize)
    {
        if (inSize < 1) throw new ArgumentOutOfRangeException(nameof(inSize), inSize, "An axis needs at least one pixel.");
        if (outSize < 1) throw new ArgumentOutOfRangeException(nameof(outSize), outSize, "An axis needs at least one pixel.");
        const double support = 0.5;                                          // BOX = {box_filter, 0.5}
        double scale = (double)(float)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        double reach = support * filterScale, inverse = 1.0 / filterScale;
        var weights = new double[outSize, inSize];
        for (int i = 0; i < outSize; i++)
        {
            double center = 0 + (i + 0.5) * scale;
            int min = Math.Max((int)(center - reach + 0.5), 0);
            int max = Math.Min((int)(center + reach + 0.5), inSize) - min;
            double total = 0;
            for (int x = 0; x < max; x++)
            {
                double u = (x + min - center + 0.5) * inverse;
                double k = u > -0.5 && u <= 0.5 ? 1.0 : 0.0;
                weights[i, x + min] = k;
                total += k;
            }
            if (total != 0)
                for (int x = 0; x < max; x++) weights[i, x + min] /= total;
        }
        return weights;
    }

    /// <summary>Resizes every channel of a B×C×H×W batch to <paramref name="height"/>×<paramref name="width"/>:
    /// the width first, then the height, each pass summing in float64 and stored in the input's dtype.</summary>
    public static Tensor Apply(Tensor images, int height, int width)
    {
        Guard.ImageBatch(images, nameof(images));
        using var scope = NewDisposeScope();
        var x = images;
        if (width != images.shape[3])
            x = matmul(x.to(ScalarType.Float64), Matrix((int)images.shape[3], width).t()).to(images.dtype);
        if (height != images.shape[2])
            x = matmul(Matrix((int)images.shape[2], height), x.to(ScalarType.Float64)).to(images.dtype);
        return (ReferenceEquals(x, images) ? images.clone() : x).MoveToOuterDisposeScope();
    }

    static Tensor Matrix(int inSize, int outSize)
    {
        var w = Weights(inSize, outSize);
        var flat = new double[outSize * inSize];
        Buffer.BlockCopy(w, 0, flat, 0, flat.Length * sizeof(double));
        return tensor(flat, new long[] { outSize, inSize });
    }
}
