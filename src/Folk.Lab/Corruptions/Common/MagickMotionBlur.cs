using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// ImageMagick's <c>MotionBlurImage(radius, sigma, angle)</c>, which ImageNet-C's motion blur and snow call through
/// Wand: every pixel becomes a weighted mean of the pixels on a ray leaving it at <c>angle</c> degrees (0 = towards
/// +x, 90 = towards +y, i.e. down), with one-sided Gaussian weights.
/// </summary>
/// <remarks>
/// Restated from ImageMagick 6.9.11-60 <c>magick/effect.c</c> (<c>MotionBlurImageChannel</c>,
/// <c>GetMotionBlurKernel</c>) and <c>magick/gem.c</c> (<c>GetOptimalKernelWidth1D</c>), the version Debian 12's
/// python3-wand loads:
/// <list type="bullet">
/// <item>width = 2⌈radius⌉ + 1 taps (for radius &gt; 10⁻¹²; every ImageNet-C and CIFAR-10-C radius is);</item>
/// <item>tap i = 0…width − 1 weighs exp(−i²/2σ²), normalised to sum 1: the Gaussian's right half, so the pixel
/// itself weighs most;</item>
/// <item>tap i reads the pixel at (x + ⌈i·cos θ − ½⌉, y + ⌈i·sin θ − ½⌉), computed as ImageMagick does from
/// width·sin θ and width·cos θ and their hypotenuse;</item>
/// <item>reads beyond the edge take the nearest edge pixel (ImageMagick's default <c>edge</c> virtual-pixel
/// method).</item>
/// </list>
/// What differs: ImageMagick Q16 rounds each result to 16 bits (<c>ClampToQuantum</c>), and its PNG coder, through which
/// ImageNet-C reads the image back, truncates that to 8 bits (<c>ScaleQuantumToAny</c>, 255·q/65535 cast to an
/// integer, <c>magick/quantum-private.h</c>), so ImageNet-C's motion-blurred images are on average half a level darker
/// than the blur itself. <see cref="Apply"/> returns the blur itself, unrounded, as Folk.Lab returns every corruption
/// before the benchmark's 8-bit storage; <see cref="EightBit"/> applies ImageMagick's two roundings where a definition
/// uses the 8-bit result inside (snow). The tests check that <c>EightBit(Apply(x))</c> equals ImageMagick's output
/// level for level.
/// </remarks>
public static class MagickMotionBlur
{
    /// <summary>The number of taps: <c>GetOptimalKernelWidth1D</c>'s 2⌈radius⌉ + 1.</summary>
    public static int Width(double radius)
    {
        if (!(radius > 1e-12))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "Only the explicit-radius form is restated: radius must be > 1e-12.");
        return (int)(2.0 * Math.Ceiling(radius) + 1.0);
    }

    /// <summary>The normalised one-sided Gaussian weights of the taps.</summary>
    public static double[] Weights(int width, double sigma)
    {
        double s = Math.Abs(sigma) < 1e-12 ? 1e-12 : sigma;                  // MagickSigma
        const double SqrtTwoPi = 2.50662827463100024161235523934010416269302368164062;
        var kernel = new double[width];
        double normalize = 0;
        for (int i = 0; i < width; i++)
        {
            kernel[i] = Math.Exp(-((double)i * i) / (2.0 * s * s)) / (SqrtTwoPi * s);
            normalize += kernel[i];
        }
        for (int i = 0; i < width; i++) kernel[i] /= normalize;
        return kernel;
    }

    /// <summary>The (dx, dy) pixel offset of each tap for a ray at <paramref name="angle"/> degrees.</summary>
    public static (int Dx, int Dy)[] Offsets(int width, double angle)
    {
        double radians = Math.PI * angle / 180.0;
        double px = width * Math.Sin(radians), py = width * Math.Cos(radians);
        double length = double.Hypot(px, py);
        var offsets = new (int, int)[width];
        for (int i = 0; i < width; i++)
            offsets[i] = ((int)Math.Ceiling(i * py / length - 0.5), (int)Math.Ceiling(i * px / length - 0.5));
        return offsets;
    }

    /// <summary>
    /// Values in [0, 1] as ImageMagick Q16 stores them and its PNG coder writes them at 8 bits: q = ⌊65535·v + ½⌋
    /// (clamped to 0…65535), then ⌊255·q/65535⌋; returned as level/255 in float64.
    /// </summary>
    public static Tensor EightBit(Tensor values)
    {
        using var scope = NewDisposeScope();
        var quantum = (values.to(ScalarType.Float64) * 65535.0).clamp(0.0, 65535.0).add(0.5).floor();
        return ((quantum * 255.0 / 65535.0).floor() / 255.0).MoveToOuterDisposeScope();
    }

    /// <summary>Blurs every channel of a B×C×H×W batch, image b along <c>angles[b]</c> degrees.</summary>
    /// <returns>A new tensor of the input's shape and dtype (computed in float64).</returns>
    public static Tensor Apply(Tensor images, double radius, double sigma, IReadOnlyList<double> angles)
    {
        Guard.ImageBatch(images, nameof(images));
        if (angles.Count != images.shape[0])
            throw new ArgumentException($"angles must hold one angle per image ({images.shape[0]}); got {angles.Count}.", nameof(angles));
        int width = Width(radius);
        var weights = Weights(width, sigma);
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        var x = images.to(ScalarType.Float64);
        var blurred = new Tensor[angles.Count];
        for (int b = 0; b < angles.Count; b++)
        {
            var offsets = Offsets(width, angles[b]);
            int reach = offsets.Max(o => Math.Max(Math.Abs(o.Dx), Math.Abs(o.Dy)));
            var padded = pad(x[b].unsqueeze(0), new long[] { reach, reach, reach, reach }, PaddingModes.Replicate)[0];
            var sum = zeros_like(x[b]);
            for (int i = 0; i < width; i++)
            {
                long top = reach + offsets[i].Dy, left = reach + offsets[i].Dx;
                var window = padded[TensorIndex.Colon, TensorIndex.Slice(top, top + h), TensorIndex.Slice(left, left + w)];
                using Scalar weight = weights[i];    // held: a temporary scalar can be finalised while libtorch reads it
                sum = sum.add_(window, alpha: weight);
            }
            blurred[b] = sum;
        }
        return stack(blurred).to(images.dtype).MoveToOuterDisposeScope();
    }
}
