using static TorchSharp.torch;

namespace Folk.Lab.Models;

/// <summary>
/// Fills a tensor from a normal distribution truncated to [a, b] by inverse-CDF sampling (the method of PyTorch's
/// <c>trunc_normal_</c>). Written here because TorchSharp 0.107's <c>nn.init.trunc_normal_</c> fills a constant.
/// </summary>
public static class TruncatedNormal
{
    /// <summary>Fills <paramref name="tensor"/> in place with N(mean, std²) truncated to [a, b] (absolute bounds).</summary>
    public static Tensor Fill(Tensor tensor, double mean, double std, double a, double b, Generator? generator = null)
    {
        Guard.Positive(std, nameof(std));
        if (!(b > a)) throw new ArgumentException($"The truncation interval [{a}, {b}] is empty.", nameof(b));
        double lower = Phi((a - mean) / std), upper = Phi((b - mean) / std);
        // With bounds far in the tails (timm's default ±2 for std 0.02) the interval is (−1, 1) in float32, and a draw of
        // exactly −1 would become erfinv(−1) = −∞, clamped to the bound: a 100σ weight about once per 2^24 values. The
        // interval is kept one float32 step inside; bounds nearer the mean (MFM's ±1σ) are unchanged.
        const double inside = 1 - 1.0 / (1 << 23);
        using var noGrad = no_grad();
        tensor.uniform_(Math.Max(2 * lower - 1, -inside), Math.Min(2 * upper - 1, inside), generator: generator);
        tensor.erfinv_().mul_(std * Math.Sqrt(2)).add_(mean).clamp_(a, b);
        return tensor;
    }

    /// <summary>Standard normal CDF.</summary>
    static double Phi(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>erf to 1.5e-7 (Abramowitz and Stegun 7.1.26); ample for choosing the sampling interval.</summary>
    static double Erf(double x)
    {
        double sign = Math.Sign(x), t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
