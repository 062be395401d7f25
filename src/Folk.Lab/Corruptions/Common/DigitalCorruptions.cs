using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>The three constants of ImageNet-C's <c>elastic_transform</c> at one severity, in pixels.</summary>
/// <param name="Alpha">c[0]: the scale of the smoothed displacement field.</param>
/// <param name="Sigma">c[1]: σ of the Gaussian that smooths the field (scipy, reflect borders, truncate 3).</param>
/// <param name="AffineJitter">c[2]: each of the affine's three anchor points moves by U(−c[2], c[2]) along each axis.</param>
public sealed record ElasticConstants(double Alpha, double Sigma, double AffineJitter);

/// <summary>
/// ImageNet-C's digital family, less brightness (filed with weather, see <see cref="CorruptionFamily.Digital"/>):
/// <c>contrast</c>, <c>elastic_transform</c>, <c>pixelate</c> and <c>jpeg_compression</c> (Hendrycks &amp; Dietterich,
/// arXiv 1903.12261, §3; hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c> and <c>make_cifar_c.py</c>).
/// </summary>
/// <remarks>
/// <para>Contrast and pixelate are deterministic and equal the original up to float32 rounding: the original computes
/// contrast in float64 and pixelates 8-bit PIL images, whose rounding to 8 bits Folk.Lab leaves out (see
/// <see cref="BoxResize"/>). JPEG quantises to 8 bits, as a JPEG must, and uses SkiaSharp's codec in place of Pillow's
/// (see <see cref="JpegRoundTrip"/>). The elastic transform's randomness is drawn by <see cref="Apply"/> and handed to a
/// deterministic core, <see cref="ElasticTransform"/>, so a parity test can give the original the same draws.</para>
/// <para>As for the noise family, the original's final ×255, its 8-bit storage and ImageNet-C's re-encoding of every
/// corrupted image as JPEG at quality 85 are not applied: Folk.Lab returns float32 in [0,1].</para>
/// </remarks>
public sealed class DigitalCorruptions : ICorruptionFamily
{
    /// <summary><c>contrast</c>: c, the factor each channel's deviation from its mean is multiplied by.</summary>
    public static SeverityTable<double> ContrastFactor { get; } = new([0.4, .3, .2, .1, .05], [.75, .5, .4, .3, 0.15]);

    /// <summary><c>elastic_transform</c>: (α, σ, affine jitter). ImageNet-C writes them as multiples of 244 ("244 should
    /// have been 224, but ultimately nothing is incorrect", says its comment), CIFAR-10-C as multiples of 32; the products
    /// are kept as written.</summary>
    public static SeverityTable<ElasticConstants> Elastic { get; } = new(
        [
            new(244 * 2, 244 * 0.7, 244 * 0.1),
            new(244 * 2, 244 * 0.08, 244 * 0.2),
            new(244 * 0.05, 244 * 0.01, 244 * 0.02),
            new(244 * 0.07, 244 * 0.01, 244 * 0.02),
            new(244 * 0.12, 244 * 0.01, 244 * 0.02),
        ],
        [
            new(32 * 0, 32 * 0, 32 * 0.08),
            new(32 * 0.05, 32 * 0.2, 32 * 0.07),
            new(32 * 0.08, 32 * 0.06, 32 * 0.06),
            new(32 * 0.1, 32 * 0.04, 32 * 0.05),
            new(32 * 0.1, 32 * 0.03, 32 * 0.03),
        ]);

    /// <summary><c>pixelate</c>: c; the image is box-resized to int(side·c) pixels and back.</summary>
    public static SeverityTable<double> PixelateFactor { get; } = new([0.6, 0.5, 0.4, 0.3, 0.25], [0.95, 0.9, 0.85, 0.75, 0.65]);

    /// <summary><c>jpeg_compression</c>: the JPEG quality.</summary>
    public static SeverityTable<int> JpegQuality { get; } = new([25, 18, 15, 10, 7], [80, 65, 58, 50, 40]);

    /// <inheritdoc/>
    public CorruptionFamily Family => CorruptionFamily.Digital;

    /// <inheritdoc/>
    public IReadOnlyList<CommonCorruption> Members { get; } =
        [CommonCorruption.Contrast, CommonCorruption.ElasticTransform, CommonCorruption.Pixelate, CommonCorruption.JpegCompression];

    /// <inheritdoc/>
    /// <remarks>Only the elastic transform draws, for the whole batch at once: B×3×2 float64 uniforms for the affine
    /// jitter (rounded to float32, as the original's <c>.astype(np.float32)</c>), then B×2×H×W float64 uniform fields in
    /// [−1, 1), the column displacement first in each image (the original's <c>dx</c>, then <c>dy</c>).</remarks>
    public Tensor Apply(CommonCorruption corruption, Tensor images, int severity, CorruptionConstants constants, Generator generator)
    {
        long b = images.shape[0], side = images.shape[2];
        switch (corruption)
        {
            case CommonCorruption.Contrast:
                return Contrast(images, ContrastFactor[severity, constants]);
            case CommonCorruption.Pixelate:
                return Pixelate(images, (int)(side * PixelateFactor[severity, constants]));
            case CommonCorruption.JpegCompression:
                return JpegRoundTrip.Apply(images, JpegQuality[severity, constants]);
            case CommonCorruption.ElasticTransform:
            {
                var c = Elastic[severity, constants];
                using var scope = NewDisposeScope();
                // np.random.uniform(low, high) is low + (high − low)·u
                var jitter = (-c.AffineJitter + 2 * c.AffineJitter * rand(new[] { b, 3, 2 }, dtype: ScalarType.Float64, generator: generator))
                    .to(ScalarType.Float32);
                var fields = -1.0 + 2.0 * rand(new[] { b, 2, side, side }, dtype: ScalarType.Float64, generator: generator);
                return ElasticTransform(images, jitter, fields, c).MoveToOuterDisposeScope();
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "not a digital corruption");
        }
    }

    /// <summary><c>contrast</c>: clip((x − m)·c + m, 0, 1), m the mean of each channel of each image (computed in
    /// float64, as numpy's mean of the original's float64 image).</summary>
    /// <param name="images">B×3×H×W float32 in [0,1].</param>
    /// <param name="factor">c (<see cref="ContrastFactor"/>).</param>
    public static Tensor Contrast(Tensor images, double factor)
    {
        Guard.ImageBatch(images, nameof(images));
        using var scope = NewDisposeScope();
        var x = images.to(ScalarType.Float64);
        var means = x.mean(new long[] { 2, 3 }, keepdim: true);
        return ((x - means) * factor + means).clamp_(0, 1).to(images.dtype).MoveToOuterDisposeScope();
    }

    /// <summary><c>pixelate</c>: Pillow's BOX resize to <paramref name="side"/>×<paramref name="side"/> and back to the
    /// image's size (<see cref="BoxResize"/>).</summary>
    /// <param name="images">B×3×H×W float32 in [0,1].</param>
    /// <param name="side">int(H·c), as the original computes it (<see cref="PixelateFactor"/>).</param>
    public static Tensor Pixelate(Tensor images, int side)
    {
        Guard.ImageBatch(images, nameof(images));
        using var scope = NewDisposeScope();
        var small = BoxResize.Apply(images, side, side);
        return BoxResize.Apply(small, (int)images.shape[2], (int)images.shape[3]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>elastic_transform</c> with given draws: a random affine warp (<see cref="AffineWarp"/>, OpenCV's
    /// BORDER_REFLECT_101), then a resampling at (y + dy, x + dx) (<see cref="CoordinateMap"/>, scipy's reflect),
    /// where dx and dy are uniform fields smoothed by <see cref="GaussianFilter"/> (σ, reflect, truncate 3), multiplied
    /// by α and rounded to float32 as the original does; finally clipped to [0,1].
    /// </summary>
    /// <param name="images">B×3×H×W float32 in [0,1], square.</param>
    /// <param name="affineJitter">B×3×2 float32: the offsets added to the three anchor points (x, y) — the centre
    /// ± side/3, as <c>pts1</c> in the original — in pixels.</param>
    /// <param name="fields">B×2×H×W: the unsmoothed uniform fields in [−1, 1), column displacement (dx) first.</param>
    /// <param name="constants">α, σ and the jitter's range (<see cref="Elastic"/>; the jitter is already drawn).</param>
    public static Tensor ElasticTransform(Tensor images, Tensor affineJitter, Tensor fields, ElasticConstants constants)
    {
        Guard.ImageBatch(images, nameof(images));
        long b = images.shape[0], h = images.shape[2], w = images.shape[3];
        if (!affineJitter.shape.SequenceEqual(new[] { b, 3L, 2L }))
            throw new ArgumentException($"affineJitter must be B×3×2 = [{b}, 3, 2]; got {Shape.Format(affineJitter)}.", nameof(affineJitter));
        if (!fields.shape.SequenceEqual(new[] { b, 2L, h, w }))
            throw new ArgumentException($"fields must be B×2×H×W = [{b}, 2, {h}, {w}]; got {Shape.Format(fields)}.", nameof(fields));
        using var scope = NewDisposeScope();

        // pts1 from center_square = float32(shape[:2]) // 2 = (H // 2, W // 2) and square_size = min(H, W) // 3, taken as
        // (x, y) points in that order (the first coordinate comes from H; the images are square); pts2 = pts1 + jitter.
        float first = h / 2, second = w / 2, square = Math.Min(h, w) / 3;
        (float X, float Y)[] anchors = [(first + square, second + square), (first + square, second - square), (first - square, second - square)];
        using var jitterCpu = affineJitter.to(ScalarType.Float32).cpu().contiguous();
        var j = jitterCpu.data<float>().ToArray();
        var matrices = new double[b][];
        for (int i = 0; i < b; i++)
        {
            var moved = anchors.Select((p, k) => (p.X + j[i * 6 + 2 * k], p.Y + j[i * 6 + 2 * k + 1])).ToArray();
            matrices[i] = AffineWarp.FromPoints(anchors, moved);
        }
        var warped = AffineWarp.Apply(images, matrices);

        var smooth = GaussianFilter.Apply(fields.to(ScalarType.Float64), constants.Sigma, BoundaryMode.Reflect, truncate: 3);
        var displacement = (smooth * constants.Alpha).to(ScalarType.Float32).to(ScalarType.Float64);
        var rows = arange(h, dtype: ScalarType.Float64).view(1, h, 1) + displacement[.., 1];
        var columns = arange(w, dtype: ScalarType.Float64).view(1, 1, w) + displacement[.., 0];
        return CoordinateMap.Linear(warped, rows, columns).clamp_(0, 1).MoveToOuterDisposeScope();
    }
}
