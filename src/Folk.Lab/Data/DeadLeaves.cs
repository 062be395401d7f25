using static TorchSharp.torch;

namespace Folk.Lab.Data;

/// <summary>Options of the dead-leaves image model.</summary>
public sealed record DeadLeavesOptions
{
    /// <summary>Discs painted per image (enough to cover a 224² canvas many times over).</summary>
    public int Leaves { get; init; } = 1000;

    /// <summary>Smallest disc radius in pixels.</summary>
    public double MinRadius { get; init; } = 1.5;

    /// <summary>Largest disc radius as a fraction of the image size.</summary>
    public double MaxRadiusFraction { get; init; } = 0.35;

    /// <summary>Exponent α of the radius density <c>p(r) ∝ r^−α</c>; 3 makes the model scale-invariant, which is
    /// what gives natural images their <c>1/f²</c> power spectrum.</summary>
    public double RadiusExponent { get; init; } = 3.0;

    /// <summary>Brightness gradient across each disc (0 = flat discs), a little shading for texture.</summary>
    public double Shading { get; init; } = 0.25;

    /// <summary>Colour spread of the discs around the image's base colour: 1 = any colour; smaller values give a calmer
    /// background with the same spectral slope.</summary>
    public double Contrast { get; init; } = 1.0;
}

/// <summary>
/// The dead-leaves model: opaque discs with power-law radii dropped on top of each other. It is the classic
/// procedural stand-in for natural images (Lee, Mumford and Huang, 2001): occlusion and scale invariance give it
/// edges at every scale and a radially averaged power spectrum close to <c>1/f²</c>, so frequency masks cut it the
/// way they cut photographs. Deterministic given the generator.
/// </summary>
public static class DeadLeaves
{
    /// <summary>Generates a B×3×S×S float32 batch in [0,1] on the CPU; image b is painted from its own seed, drawn
    /// from <paramref name="generator"/>.</summary>
    public static Tensor Generate(int count, int size, Generator generator, DeadLeavesOptions? options = null)
    {
        Guard.Positive(count, nameof(count));
        using var seeds = randint(long.MaxValue, new long[] { count }, generator: generator);
        var perImage = seeds.data<long>().ToArray();
        var canvas = new float[count * 3 * size * size];
        for (int b = 0; b < count; b++)
            Paint(canvas.AsSpan(b * 3 * size * size, 3 * size * size), size, new Random(unchecked((int)perImage[b] ^ (int)(perImage[b] >> 32))), options);
        return tensor(canvas, new long[] { count, 3, size, size });
    }

    /// <summary>
    /// Paints one 3×S×S image (planar RGB, values in [0,1]) into <paramref name="canvas"/>. Each disc is painted inside its
    /// bounding box only, so the cost follows the painted area (mostly small discs) rather than leaves × canvas.
    /// </summary>
    public static void Paint(Span<float> canvas, int size, Random random, DeadLeavesOptions? options = null)
    {
        options ??= new DeadLeavesOptions();
        if (size < 4) throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be >= 4 pixels; got {size}.");
        Guard.Positive(options.Leaves, nameof(options.Leaves));
        if (canvas.Length != 3 * size * size)
            throw new ArgumentException($"canvas must hold 3×{size}×{size} values; got {canvas.Length}.", nameof(canvas));

        double rMin = options.MinRadius, rMax = Math.Max(rMin * 1.01, options.MaxRadiusFraction * size);
        int plane = size * size;
        Span<double> baseColour = stackalloc double[3];
        for (int c = 0; c < 3; c++)
        {
            baseColour[c] = random.NextDouble();
            canvas.Slice(c * plane, plane).Fill((float)baseColour[c]);
        }
        Span<double> colour = stackalloc double[3];
        for (int leaf = 0; leaf < options.Leaves; leaf++)
        {
            double cy = random.NextDouble() * size, cx = random.NextDouble() * size;
            double r = PowerLawRadius(random.NextDouble(), rMin, rMax, options.RadiusExponent);
            for (int c = 0; c < 3; c++) colour[c] = baseColour[c] + options.Contrast * (random.NextDouble() - baseColour[c]);
            double angle = random.NextDouble() * 2 * Math.PI, gx = Math.Cos(angle) / r * options.Shading, gy = Math.Sin(angle) / r * options.Shading;
            int y0 = Math.Max(0, (int)Math.Floor(cy - r)), y1 = Math.Min(size - 1, (int)Math.Ceiling(cy + r));
            int x0 = Math.Max(0, (int)Math.Floor(cx - r)), x1 = Math.Min(size - 1, (int)Math.Ceiling(cx + r));
            for (int y = y0; y <= y1; y++)
            {
                double dy = y - cy;
                for (int x = x0; x <= x1; x++)
                {
                    double dx = x - cx;
                    if (dx * dx + dy * dy >= r * r) continue;
                    double shade = dx * gx + dy * gy;
                    for (int c = 0; c < 3; c++) canvas[c * plane + y * size + x] = (float)Math.Clamp(colour[c] + shade, 0, 1);
                }
            }
        }
    }

    /// <summary>Inverse-CDF sample of <c>p(r) ∝ r^−α</c> on [rMin, rMax] from a uniform u.</summary>
    static double PowerLawRadius(double u, double rMin, double rMax, double alpha)
    {
        double k = 1 - alpha;                                   // ∫ r^−α = r^k / k
        double a = Math.Pow(rMin, k), b = Math.Pow(rMax, k);
        return Math.Pow(a + u * (b - a), 1 / k);
    }
}
