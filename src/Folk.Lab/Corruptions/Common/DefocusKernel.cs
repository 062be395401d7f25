using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// ImageNet-C's anti-aliased disk, the point-spread function of its defocus blur (hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c>, <c>disk</c>): the indicator of x² + y² ≤ r² on the integer grid
/// −L…L, normalised to sum 1, then smoothed by OpenCV's <c>GaussianBlur</c> with σ = <c>aliasBlur</c>.
/// </summary>
/// <remarks>
/// L = 8 (a 17×17 kernel) and a 3×3 Gaussian for r ≤ 8; L = r and a 5×5 Gaussian above. As in the original the disk
/// and its smoothing are float32 (the indicator divided by its float32 count; OpenCV's <c>getGaussianKernel</c>
/// weights exp(−u²/2σ²)/Σ rounded to float32; the separable smoothing, rows then columns, reads the disk's border as
/// BORDER_REFLECT_101, OpenCV's default). Where the disk touches the grid's edge (r = 8 and r = 10, ImageNet-C's
/// severities 4 and 5) that border counts the edge's inner neighbour twice, so the published kernel sums to 1.013 and
/// 1.011, not 1: those two severities also brighten the image by about 1 %, and Folk.Lab's kernel does the same.
/// </remarks>
public static class DefocusKernel
{
    /// <summary>The (2L + 1)×(2L + 1) float32 kernel for a disk of <paramref name="radius"/> pixels.</summary>
    public static Tensor Create(double radius, double aliasBlur)
    {
        Guard.Positive(radius, nameof(radius));
        Guard.Positive(aliasBlur, nameof(aliasBlur));
        int reach = radius <= 8 ? 8 : (int)radius, gaussianSize = radius <= 8 ? 3 : 5;
        if (radius > 8 && radius != Math.Floor(radius))
            throw new ArgumentException($"ImageNet-C's grid is np.arange(-r, r + 1) above r = 8, defined for whole radii; got {radius}.", nameof(radius));
        int side = 2 * reach + 1;
        var disk = new float[side * side];
        int inside = 0;
        for (int y = -reach; y <= reach; y++)
            for (int x = -reach; x <= reach; x++)
                if (x * x + y * y <= radius * radius) { disk[(y + reach) * side + x + reach] = 1f; inside++; }
        float share = 1f / inside;
        for (int i = 0; i < disk.Length; i++) disk[i] *= share;

        using var scope = NewDisposeScope();
        var taps = GaussianTaps(gaussianSize, aliasBlur);
        var weight = tensor(taps, dtype: ScalarType.Float32);
        var image = tensor(disk, new long[] { 1, 1, side, side });
        int r = gaussianSize / 2;
        var rows = conv2d(pad(image, new long[] { r, r, 0, 0 }, PaddingModes.Reflect), weight.reshape(1, 1, 1, gaussianSize));
        var both = conv2d(pad(rows, new long[] { 0, 0, r, r }, PaddingModes.Reflect), weight.reshape(1, 1, gaussianSize, 1));
        return both.reshape(side, side).MoveToOuterDisposeScope();
    }

    /// <summary>OpenCV's <c>getGaussianKernel(n, σ)</c> for σ &gt; 0: exp(−u²/2σ²) at u = i − (n − 1)/2, normalised, as float32.</summary>
    public static float[] GaussianTaps(int size, double sigma)
    {
        var values = new double[size];
        for (int i = 0; i < size; i++)
        {
            double u = i - (size - 1) / 2.0;
            values[i] = Math.Exp(-u * u / (2 * sigma * sigma));
        }
        double sum = values.Sum();
        return values.Select(v => (float)(v / sum)).ToArray();
    }
}
