using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// A procedural ice-crystal texture standing in for the frost photographs ImageNet-C blends
/// (hendrycks/robustness <c>ImageNet-C/create_c/frost1.png</c> … <c>frost5.jpg</c>, used by <c>frost</c> in
/// <c>make_imagenet_c.py</c> and <c>make_cifar_c.py</c>), which Folk.Lab does not ship.
/// </summary>
/// <remarks>
/// <para><b>What it draws.</b> On a canvas at the photographs' pixel scale, fern-like crystals: each a needle of
/// 9–34 px at a random angle with eight pairs of side branches at 60° ± 15°, tapering towards the tip, drawn as thin
/// bright lines (bilinear splats every ½ px, a Gaussian of σ = 0.3 px, saturated by 1 − e^(−2·density)), 300 of them
/// per 224² so that they overlap like hoar frost; plus a faint haze (white noise smoothed with σ = 22.4 px, weight
/// 0.15) for the uneven thickness of the ice. The grey level is standardised and coloured per channel as
/// mean + std·grey, with the mean and std of the photograph the original would have drawn: one of five,
/// uniformly, as <c>np.random.randint(5)</c> picks them (<c>frost2.png</c> and <c>frost3.png</c> are the same
/// picture, so it weighs twice, as in the original).</para>
/// <para><b>Which statistics match, and how they are known.</b> <see cref="PhotographStatistics"/> holds each
/// photograph's per-channel mean and standard deviation over random crops made as each script makes them (a 224²
/// crop of the photograph for ImageNet-C; for CIFAR-10-C, a 32² crop after OpenCV's 0.2× bilinear resize, which
/// samples every fifth pixel), measured by <c>reference/python/frost_statistics.py</c> (2000 crops per photograph)
/// on a checkout of hendrycks/robustness. The structure was tuned with the same script's spectral measures of the
/// grey level over all five: the radial power-spectrum slope (photographs −1.83 ± 0.2 at 224², −1.0 ± 0.3 at 32²; this texture
/// about −1.9 and −1.1) and the share of non-DC energy beyond a quarter of the sampling rate (0.19 and 0.54; this
/// texture about 0.21 and 0.55). For CIFAR-10-C the canvas is 160² (32 / 0.2) and is sampled at pixels 2, 7, 12, …,
/// exactly what the original's resize does to the photograph.</para>
/// <para><b>What differs.</b> The photographs' own shapes, their colour variation within a picture (here the
/// channels are perfectly correlated; in the photographs 0.9–0.98) and their JPEG artefacts. Frost is therefore the
/// one corruption whose Folk.Lab numbers are comparable to, not equal in distribution to, ImageNet-C's.</para>
/// </remarks>
public static class FrostTexture
{
    /// <summary>Per photograph the original picks from (frost1.png, frost2.png, frost3.png, frost4.jpg,
    /// frost5.jpg), the per-channel (R, G, B) mean and standard deviation of its crops, for each table.</summary>
    public static IReadOnlyList<(double[] Mean, double[] Std)> PhotographStatistics(CorruptionConstants constants) =>
        constants == CorruptionConstants.ImageNet224 ? ImageNetPhotographs : CifarPhotographs;

    static readonly (double[] Mean, double[] Std)[] ImageNetPhotographs =
    [
        ([0.302, 0.579, 0.644], [0.092, 0.056, 0.052]),
        ([0.777, 0.794, 0.830], [0.076, 0.078, 0.081]),
        ([0.776, 0.793, 0.829], [0.076, 0.079, 0.081]),
        ([0.568, 0.626, 0.676], [0.102, 0.103, 0.108]),
        ([0.396, 0.441, 0.487], [0.141, 0.140, 0.137]),
    ];

    static readonly (double[] Mean, double[] Std)[] CifarPhotographs =
    [
        ([0.302, 0.581, 0.646], [0.083, 0.051, 0.049]),
        ([0.778, 0.795, 0.832], [0.070, 0.071, 0.073]),
        ([0.778, 0.796, 0.832], [0.070, 0.071, 0.073]),
        ([0.564, 0.622, 0.672], [0.102, 0.102, 0.106]),
        ([0.401, 0.446, 0.492], [0.137, 0.135, 0.133]),
    ];

    const int BranchPairs = 8;
    const int DrawsPerCrystal = 5 + 4 * BranchPairs;
    const double CrystalsPer224Squared = 300, HazeSigma = 22.4, HazeWeight = 0.15, LineSigma = 0.3;

    /// <summary>The canvas side at the photographs' scale: 224, or 160 for CIFAR-10-C (sampled down 5×).</summary>
    public static int CanvasSide(CorruptionConstants constants) => constants == CorruptionConstants.ImageNet224 ? 224 : 160;

    /// <summary>Draws B textures for the table's image side from <paramref name="generator"/>.</summary>
    /// <returns>B×3×S×S float32 in [0, 1], S = 224 or 32.</returns>
    public static Tensor Sample(long batch, CorruptionConstants constants, Generator generator)
    {
        int canvas = CanvasSide(constants);
        int crystals = (int)Math.Round(CrystalsPer224Squared * canvas * canvas / (224.0 * 224.0));
        var statistics = PhotographStatistics(constants);
        using var scope = NewDisposeScope();
        var photographs = randint(statistics.Count, new[] { batch }, generator: generator).data<long>().ToArray();
        var shapes = rand(new long[] { batch, crystals, DrawsPerCrystal }, dtype: ScalarType.Float64, generator: generator);
        var haze = randn(new long[] { batch, 1, canvas, canvas }, dtype: ScalarType.Float32, generator: generator);

        var smoothHaze = GaussianFilter.Apply(haze, HazeSigma, BoundaryMode.Reflect).to(ScalarType.Float64);   // float32: a texture, not a parity
        var grey = Standardise(Crystals(shapes, canvas)) + Standardise(smoothHaze) * HazeWeight;
        grey = Standardise(grey);
        var mean = tensor(photographs.SelectMany(p => statistics[(int)p].Mean).ToArray(), dtype: ScalarType.Float64).reshape(batch, 3, 1, 1);
        var std = tensor(photographs.SelectMany(p => statistics[(int)p].Std).ToArray(), dtype: ScalarType.Float64).reshape(batch, 3, 1, 1);
        var colour = (mean + std * grey).clamp(0.0, 1.0);
        if (constants == CorruptionConstants.Cifar32)
            colour = colour[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(2, null, 5), TensorIndex.Slice(2, null, 5)];
        return colour.to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Renders the crystals of B×K×<c>DrawsPerCrystal</c> uniforms on a side² canvas: B×1×side×side float64.</summary>
    static Tensor Crystals(Tensor shapes, int side)
    {
        long batch = shapes.shape[0], count = shapes.shape[1];
        var u = shapes.data<double>().ToArray();
        var density = zeros(new long[] { batch * side * side }, dtype: ScalarType.Float64);
        for (int b = 0; b < batch; b++)
        {
            var points = new List<(double X, double Y, double W)>();
            for (int k = 0; k < count; k++)
            {
                int o = (b * (int)count + k) * DrawsPerCrystal;
                // seeds cover the canvas and a quarter-crystal margin, so that crystals enter from outside
                double x0 = u[o] * (side + 112) - 56, y0 = u[o + 1] * (side + 112) - 56;
                double angle = u[o + 2] * 2 * Math.PI, length = (0.04 + 0.11 * u[o + 3]) * 224, brightness = 0.5 + 0.5 * u[o + 4];
                double dx = Math.Cos(angle), dy = Math.Sin(angle);
                Line(points, x0, y0, x0 + length * dx, y0 + length * dy, brightness);
                for (int j = 0; j < BranchPairs; j++)
                {
                    double t = (j + 0.5) / BranchPairs, bx = x0 + t * length * dx, by = y0 + t * length * dy;
                    for (int s = 0; s < 2; s++)
                    {
                        double turn = (s == 0 ? 1 : -1) * (Math.PI / 3 + (u[o + 5 + 4 * j + 2 * s] - 0.5) * Math.PI / 6);
                        double branch = length * 0.35 * (1 - t) * (0.5 + u[o + 6 + 4 * j + 2 * s]);
                        Line(points, bx, by, bx + branch * Math.Cos(angle + turn), by + branch * Math.Sin(angle + turn), 0.7 * brightness);
                    }
                }
            }
            Splat(density, points, b, side);
        }
        var blurred = GaussianFilter.Apply(density.reshape(batch, 1, side, side).to(ScalarType.Float32), LineSigma, BoundaryMode.Reflect)
            .to(ScalarType.Float64);
        return (blurred * -2.0).exp().neg().add(1.0);
    }

    /// <summary>Points every ½ px along a segment, each carrying half its brightness (one unit of ink per pixel).</summary>
    static void Line(List<(double, double, double)> points, double x0, double y0, double x1, double y1, double brightness)
    {
        int n = (int)Math.Ceiling(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) * 2) + 1;
        for (int i = 0; i < n; i++)
        {
            double t = n == 1 ? 0 : (double)i / (n - 1);
            points.Add((x0 + t * (x1 - x0), y0 + t * (y1 - y0), 0.5 * brightness));
        }
    }

    /// <summary>Adds the points to image b of the flat density bilinearly, dropping what falls off the canvas.</summary>
    static void Splat(Tensor density, List<(double X, double Y, double W)> points, int b, int side)
    {
        var index = new List<long>(4 * points.Count);
        var value = new List<double>(4 * points.Count);
        foreach (var (x, y, w) in points)
        {
            double fx = Math.Floor(x), fy = Math.Floor(y), tx = x - fx, ty = y - fy;
            for (int corner = 0; corner < 4; corner++)
            {
                int cx = (int)fx + (corner & 1), cy = (int)fy + (corner >> 1);
                if (cx < 0 || cy < 0 || cx >= side || cy >= side) continue;
                index.Add(((long)b * side + cy) * side + cx);
                value.Add(w * ((corner & 1) == 1 ? tx : 1 - tx) * ((corner >> 1) == 1 ? ty : 1 - ty));
            }
        }
        if (index.Count == 0) return;
        using var at = tensor(index.ToArray());
        using var add = tensor(value.ToArray(), dtype: ScalarType.Float64);
        using Scalar one = 1.0;                      // held: a temporary scalar can be finalised while libtorch reads it
        density.index_add_(0, at, add, one);
    }

    /// <summary>Each image shifted to mean 0 and scaled to standard deviation 1.</summary>
    static Tensor Standardise(Tensor images)
    {
        var dims = new long[] { 1, 2, 3 };
        var centred = images - images.mean(dims, keepdim: true);
        return centred / centred.square().mean(dims, keepdim: true).sqrt();
    }
}
