using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Blurs an image, with probability p, by an isotropic Gaussian whose σ is drawn uniformly from [σmin, σmax] pixels
/// (DINO utils.py <c>GaussianBlur(p, radius_min=0.1, radius_max=2.0)</c>; main_dino.py uses p = 1.0 and 0.1 on its
/// two global crops and 0.5 on the local crops).
/// </summary>
/// <remarks>
/// <para>DINO calls PIL's <c>ImageFilter.GaussianBlur(radius=σ)</c>, whose radius is the standard deviation and which
/// approximates the Gaussian by repeated box blurs. Folk.Lab applies the exact, normalised Gaussian instead, sampled
/// at integer offsets on <see cref="KernelSize"/> = 2⌈3σ⌉ + 1 taps (±3σ holds 99.7% of its mass; 3…13 taps for
/// σ in [0.1, 2]), with reflected borders: torchvision's <c>gaussian_blur(kernel_size, sigma)</c> with that size,
/// which the parity tests compare against. On images too small for the reflection, the kernel is cut to
/// 2·(min(H, W) − 1) + 1 taps.</para>
/// </remarks>
public sealed class GaussianBlur : IImageTransform
{
    /// <summary>Probability of blurring.</summary>
    public double Probability { get; }

    /// <summary>Smallest σ in pixels.</summary>
    public double SigmaMin { get; }

    /// <summary>Largest σ in pixels.</summary>
    public double SigmaMax { get; }

    /// <summary>Creates the transform (defaults: DINO utils.py GaussianBlur, p = 0.5, σ in [0.1, 2.0]).</summary>
    public GaussianBlur(double p = 0.5, double sigmaMin = 0.1, double sigmaMax = 2.0)
    {
        Probability = SingleImage.Probability(p, nameof(p));
        Guard.Positive(sigmaMin, nameof(sigmaMin));
        if (!(sigmaMax >= sigmaMin && double.IsFinite(sigmaMax)))
            throw new ArgumentOutOfRangeException(nameof(sigmaMax), sigmaMax, $"sigmaMax must be finite and >= sigmaMin = {sigmaMin}; got {sigmaMax}.");
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() >= Probability) return image.clone();
        double sigma = SigmaMin + (SigmaMax - SigmaMin) * random.NextDouble();
        return Blur(image, sigma);
    }

    /// <summary>Taps of the kernel for σ: 2⌈3σ⌉ + 1.</summary>
    public static int KernelSize(double sigma)
    {
        Guard.Positive(sigma, nameof(sigma));
        return 2 * (int)Math.Ceiling(3 * sigma) + 1;
    }

    /// <summary>
    /// Blurs with σ on <paramref name="kernelSize"/> taps (odd; default <see cref="KernelSize"/>), reflected borders.
    /// </summary>
    public static Tensor Blur(Tensor image, double sigma, int? kernelSize = null)
    {
        SingleImage.Check(image, nameof(image));
        Guard.Positive(sigma, nameof(sigma));
        int size = kernelSize ?? KernelSize(sigma);
        if (size < 1 || size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), size, $"kernelSize must be odd and positive; got {size}.");
        long h = image.shape[1], w = image.shape[2];
        int radius = (int)Math.Min(size / 2, Math.Min(h, w) - 1);
        if (radius == 0) return image.clone();

        var taps = Enumerable.Range(-radius, 2 * radius + 1).Select(x => Math.Exp(-0.5 * (x / sigma) * (x / sigma))).ToArray();
        double sum = taps.Sum();
        using var scope = NewDisposeScope();
        var kernel = tensor(taps.Select(t => (float)(t / sum)).ToArray(), new long[] { 1, 1, 1, 2 * radius + 1 }, device: image.device)
            .to(image.dtype).expand(3, 1, 1, 2 * radius + 1);
        var x = pad(image.unsqueeze(0), new long[] { radius, radius, radius, radius }, PaddingModes.Reflect);
        x = conv2d(x, kernel, groups: 3);                      // along W
        x = conv2d(x, kernel.transpose(2, 3), groups: 3);      // along H
        return x.squeeze(0).MoveToOuterDisposeScope();
    }
}
