using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>How <see cref="AffineWarp"/> samples the source image.</summary>
public enum AffineInterpolation
{
    /// <summary>PIL's bicubic transform filter: cubic convolution with a = −1 on the 4×4 neighbours, edges clamped,
    /// the result truncated to a level (MFM's fine-tuning passes <c>interpolation='bicubic'</c> to timm).</summary>
    Bicubic,

    /// <summary>PIL's bilinear transform filter, edges clamped, truncated to a level (timm's other choice).</summary>
    Bilinear,
}

/// <summary>
/// The geometric operations of timm's RandAugment (timm 0.4.12 <c>timm/data/auto_augment.py</c> <c>rotate</c>,
/// <c>shear_x</c>, <c>shear_y</c>, <c>translate_x_rel</c>, <c>translate_y_rel</c>), which call PIL's
/// <c>Image.transform(size, AFFINE, …)</c> and <c>Image.rotate</c>, for 3×H×W float images in [0,1] on the 8-bit grid
/// (<see cref="ImageOps"/> says how images are rounded to it).
/// </summary>
/// <remarks>
/// PIL maps each output pixel centre <c>(x + ½, y + ½)</c> through the inverse matrix (a, b, c, d, e, f) to the source
/// point <c>(a·x + b·y + c, d·x + e·y + f)</c>, in pixels from the top-left corner of the image. A point outside the
/// source image takes the fill colour (timm: the ImageNet mean, (124, 116, 104)); inside, the filter reads the
/// neighbouring pixels with their indices clamped to the image. The arithmetic is in double precision, as in PIL.
/// </remarks>
public static class AffineWarp
{
    /// <summary>
    /// Rotates counter-clockwise by <paramref name="degrees"/> about the image centre (PIL <c>Image.rotate</c>: 0°, 180°
    /// and, on square images, 90° and 270° are exact pixel permutations; other angles go through <see cref="Apply"/>
    /// with the matrix entries rounded to 15 decimals, as PIL rounds them).
    /// </summary>
    public static Tensor Rotate(Tensor image, double degrees, (int R, int G, int B) fill, AffineInterpolation interpolation = AffineInterpolation.Bicubic)
    {
        SingleImage.Check(image, nameof(image));
        if (!double.IsFinite(degrees)) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, $"degrees must be finite; got {degrees}.");
        double angle = degrees % 360.0;
        if (angle < 0) angle += 360.0;
        long h = image.shape[1], w = image.shape[2];
        using var scope = NewDisposeScope();
        var levels = EightBit.Levels(image);
        Tensor? exact = angle switch
        {
            0 => levels,
            180 => levels.flip(1, 2),
            90 when h == w => levels.rot90(1, (1, 2)),
            270 when h == w => levels.rot90(-1, (1, 2)),
            _ => null,
        };
        if (exact is not null) return EightBit.ToUnit(exact, image.dtype).MoveToOuterDisposeScope();

        double radians = -(angle * (Math.PI / 180.0));
        double cos = Math.Round(Math.Cos(radians), 15), sin = Math.Round(Math.Sin(radians), 15);
        double cx = w / 2.0, cy = h / 2.0;
        var matrix = new[] { cos, sin, 0.0, -sin, cos, 0.0 };
        matrix[2] = matrix[0] * -cx + matrix[1] * -cy + cx;
        matrix[5] = matrix[3] * -cx + matrix[4] * -cy + cy;
        return Warp(levels, matrix, fill, interpolation, image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Shears along x: the source of pixel (x, y) is <c>(x + f·y, y)</c>, about the top-left corner (timm
    /// <c>shear_x</c>, matrix (1, f, 0, 0, 1, 0)).</summary>
    public static Tensor ShearX(Tensor image, double factor, (int R, int G, int B) fill, AffineInterpolation interpolation = AffineInterpolation.Bicubic) =>
        Apply(image, new[] { 1, factor, 0, 0, 1, 0 }, fill, interpolation);

    /// <summary>Shears along y: the source of pixel (x, y) is <c>(x, f·x + y)</c> (timm <c>shear_y</c>, matrix
    /// (1, 0, 0, f, 1, 0)).</summary>
    public static Tensor ShearY(Tensor image, double factor, (int R, int G, int B) fill, AffineInterpolation interpolation = AffineInterpolation.Bicubic) =>
        Apply(image, new[] { 1, 0, 0, factor, 1, 0 }, fill, interpolation);

    /// <summary>Shifts the content left by <paramref name="pixels"/> (fractional allowed): the source of pixel x is
    /// <c>x + pixels</c> (timm <c>translate_x_rel</c> with <c>pixels = fraction · width</c>).</summary>
    public static Tensor TranslateX(Tensor image, double pixels, (int R, int G, int B) fill, AffineInterpolation interpolation = AffineInterpolation.Bicubic) =>
        Apply(image, new[] { 1, 0, pixels, 0, 1, 0 }, fill, interpolation);

    /// <summary>Shifts the content up by <paramref name="pixels"/>: the source of pixel y is <c>y + pixels</c> (timm
    /// <c>translate_y_rel</c> with <c>pixels = fraction · height</c>).</summary>
    public static Tensor TranslateY(Tensor image, double pixels, (int R, int G, int B) fill, AffineInterpolation interpolation = AffineInterpolation.Bicubic) =>
        Apply(image, new[] { 1, 0, 0, 0, 1, pixels }, fill, interpolation);

    /// <summary>
    /// PIL <c>Image.transform(size, AFFINE, matrix, resample, fillcolor=fill)</c>: the output keeps the image's size,
    /// and pixel (x, y) samples the source at <c>(a·(x+½) + b·(y+½) + c, d·(x+½) + e·(y+½) + f)</c>.
    /// </summary>
    /// <param name="image">3×H×W in [0,1].</param>
    /// <param name="matrix">The inverse matrix (a, b, c, d, e, f): output coordinates to source coordinates.</param>
    /// <param name="fill">The 8-bit colour of the pixels whose source lies outside the image.</param>
    /// <param name="interpolation">The filter.</param>
    public static Tensor Apply(Tensor image, IReadOnlyList<double> matrix, (int R, int G, int B) fill, AffineInterpolation interpolation = AffineInterpolation.Bicubic)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Count != 6 || matrix.Any(v => !double.IsFinite(v)))
            throw new ArgumentException($"matrix must hold 6 finite values (a, b, c, d, e, f); got [{string.Join(", ", matrix)}].", nameof(matrix));
        using var scope = NewDisposeScope();
        return Warp(EightBit.Levels(image), matrix, fill, interpolation, image.dtype).MoveToOuterDisposeScope();
    }

    static Tensor Warp(Tensor levels, IReadOnlyList<double> m, (int R, int G, int B) fill, AffineInterpolation interpolation, ScalarType dtype)
    {
        foreach (var (level, name) in new[] { (fill.R, "R"), (fill.G, "G"), (fill.B, "B") })
            if (level < 0 || level > 255) throw new ArgumentOutOfRangeException(nameof(fill), fill, $"fill.{name} must be an 8-bit level in [0, 255]; got {level}.");
        long h = levels.shape[1], w = levels.shape[2];
        var device = levels.device;
        var xs = (arange(w, dtype: ScalarType.Float64, device: device) + 0.5).view(1, w);
        var ys = (arange(h, dtype: ScalarType.Float64, device: device) + 0.5).view(h, 1);
        var xin = xs * m[0] + ys * m[1] + m[2];                  // H×W source points, pixels from the top-left corner
        var yin = xs * m[3] + ys * m[4] + m[5];
        var inside = xin.ge(0).logical_and(xin.lt(w)).logical_and(yin.ge(0)).logical_and(yin.lt(h));
        var sx = xin - 0.5;
        var sy = yin - 0.5;
        var x0 = sx.floor();
        var y0 = sy.floor();
        var dx = sx - x0;
        var dy = sy - y0;
        var planes = levels.to(ScalarType.Float64).view(3, h * w);
        var column = x0.to(ScalarType.Int64);
        var row = y0.to(ScalarType.Int64);

        Tensor Tap(int rowOffset, int columnOffset)
        {
            var index = (row + rowOffset).clamp(0, h - 1) * w + (column + columnOffset).clamp(0, w - 1);
            return planes.gather(1, index.view(1, -1).expand(3, -1)).view(3, h, w);
        }

        Tensor value;
        if (interpolation == AffineInterpolation.Bilinear)
        {
            Tensor Row(int r) => Linear(Tap(r, 0), Tap(r, 1), dx);
            value = Linear(Row(0), Row(1), dy);
        }
        else
        {
            Tensor Row(int r) => Cubic(Tap(r, -1), Tap(r, 0), Tap(r, 1), Tap(r, 2), dx);
            value = Cubic(Row(-1), Row(0), Row(1), Row(2), dy);
        }
        var sampled = value.clamp_(0, 255).trunc_().to(ScalarType.Float32);
        var colour = tensor(new float[] { fill.R, fill.G, fill.B }, new long[] { 3, 1, 1 }, device: device);
        return EightBit.ToUnit(where(inside, sampled, colour), dtype);
    }

    /// <summary>PIL's BILINEAR macro: <c>a + (b − a)·d</c>.</summary>
    static Tensor Linear(Tensor a, Tensor b, Tensor d) => a + (b - a) * d;

    /// <summary>PIL's BICUBIC macro (cubic convolution, a = −1), with its order of operations.</summary>
    static Tensor Cubic(Tensor v1, Tensor v2, Tensor v3, Tensor v4, Tensor d)
    {
        var p2 = v3 - v1;
        var p3 = 2 * (v1 - v2) + v3 - v4;
        var p4 = v2 - v1 - v3 + v4;
        return v2 + d * (p2 + d * (p3 + d * p4));
    }
}
