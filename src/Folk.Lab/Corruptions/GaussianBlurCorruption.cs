using Folk.Lab.Frequency;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Folk.Lab.Corruptions;

/// <summary>Options of the deblurring baseline.</summary>
public sealed record GaussianBlurOptions : ISizeScaledOptions<GaussianBlurOptions>
{
    /// <summary>σ of the isotropic Gaussian, in pixels (MFM configs/*/deblur_pretrain__*.yaml: SIGMA_X = SIGMA_Y = [5, 5]).</summary>
    public double Sigma { get; init; } = 5.0;

    /// <summary>Kernel sizes, one drawn uniformly per image (MFM config.py: BLUR.KERNEL_SIZE = [7, 9, …, 21]).</summary>
    public IReadOnlyList<int> KernelSizes { get; init; } = new[] { 7, 9, 11, 13, 15, 17, 19, 21 };

    /// <inheritdoc/>
    /// <remarks>σ follows <paramref name="rule"/> (<see cref="SizeScalingRules.Sigma"/>) and every kernel size the same
    /// ratio, to the nearest odd size (at least 1), so each kernel cuts the Gaussian where it did at 224²: with
    /// <see cref="SizeScaling.MatchedEnergy"/> σ 5 on 7…21 taps becomes σ 1.72 on 3, 3, 3, 5, 5, 5, 7, 7 taps at 32².</remarks>
    public GaussianBlurOptions ScaledTo(int imageSize, SizeScaling rule)
    {
        double sigma = rule.Sigma(Sigma, imageSize), ratio = sigma / Sigma;
        return sigma == Sigma ? this : this with
        {
            Sigma = sigma,
            KernelSizes = KernelSizes.Select(k => Math.Max(1, 2 * (int)Math.Round((k * ratio - 1) / 2, MidpointRounding.AwayFromZero) + 1)).ToArray(),
        };
    }
}

/// <summary>
/// MFM's Deblur baseline: each image is blurred with an isotropic Gaussian of σ = 5 whose odd kernel size is drawn
/// from 7…21, normalised to sum 1, borders reflected without repeating the edge (OpenCV's BORDER_REFLECT_101, which
/// <c>cv2.filter2D</c> uses), and not clamped (Jiahao000/MFM <c>data/random_degradations.py</c> and the deblur configs).
/// </summary>
/// <remarks>
/// The isotropic kernel is separable, so the blur runs as two 1-D depthwise convolutions. Every image's kernel is
/// zero-padded to the largest size and the batch is padded once by half that size; reflect-101 values do not depend
/// on how far the padding reaches, so this equals filtering each image with its own kernel. Tested against a direct
/// 2-D correlation in PyTorch.
/// </remarks>
public sealed class GaussianBlurCorruption : ICorruption
{
    /// <summary>The options in use.</summary>
    public GaussianBlurOptions Options { get; }

    /// <summary>Creates the corruption; throws for a non-positive σ or an even or non-positive kernel size.</summary>
    public GaussianBlurCorruption(GaussianBlurOptions? options = null)
    {
        Options = options ?? new GaussianBlurOptions();
        Guard.Positive(Options.Sigma, nameof(Options.Sigma));
        if (Options.KernelSizes.Count == 0) throw new ArgumentException("KernelSizes must hold at least one size.", nameof(Options.KernelSizes));
        foreach (var k in Options.KernelSizes)
            if (k < 1 || k % 2 == 0)
                throw new ArgumentOutOfRangeException(nameof(Options.KernelSizes), k, $"Kernel sizes must be odd and positive; got {k}.");
    }

    /// <inheritdoc/>
    public CorruptedBatch Apply(Tensor images, Generator generator, Data.BatchShard? shard = null)
    {
        Guard.ImageBatch(images, nameof(images));
        int[] sizes;
        using (NewDisposeScope())
        {
            var draws = randint(Options.KernelSizes.Count, new[] { Data.BatchShard.DrawCount(shard, images.shape[0]) }, generator: generator, device: generator.device);
            sizes = Data.BatchShard.Keep(shard, draws, images.shape[0]).cpu().contiguous().data<long>().Select(i => Options.KernelSizes[(int)i]).ToArray();
        }
        return new CorruptedBatch(Blur(images, sizes), null);
    }

    /// <summary>Blurs image b with a kernel of size <c>kernelSizes[b]</c>.</summary>
    public Tensor Blur(Tensor images, IReadOnlyList<int> kernelSizes)
    {
        Guard.ImageBatch(images, nameof(images));
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (kernelSizes.Count != b) throw new ArgumentException($"kernelSizes must hold one size per image ({b}); got {kernelSizes.Count}.", nameof(kernelSizes));
        int largest = kernelSizes.Max(), radius = largest / 2;
        if (radius >= h || radius >= w)
            throw new ArgumentException($"Images of {h}×{w} are too small for a reflected border of {radius} (kernel {largest}).", nameof(images));

        using var scope = NewDisposeScope();
        var taps = new float[b * largest];
        for (int i = 0; i < b; i++) Kernel1D(kernelSizes[i], Options.Sigma).CopyTo(taps, i * largest + (largest - kernelSizes[i]) / 2);
        var kernels = tensor(taps, new[] { b, 1, 1, (long)largest }, device: images.device).to(images.dtype)
            .repeat_interleave(c, 0);                                           // (B·C)×1×1×K, image-major like the channels
        var x = pad(images.reshape(1, b * c, h, w), new long[] { radius, radius, radius, radius }, PaddingModes.Reflect);
        x = conv2d(x, kernels, groups: b * c);                                    // along W
        x = conv2d(x, kernels.transpose(2, 3), groups: b * c);                     // along H
        return x.reshape(b, c, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>The normalised 1-D Gaussian of odd size k: <c>exp(−x²/2σ²)</c> at x = −k/2 … k/2, summing to 1.
    /// Its outer product with itself is the normalised 2-D isotropic kernel.</summary>
    internal static float[] Kernel1D(int size, double sigma)
    {
        var values = Enumerable.Range(-(size / 2), size).Select(x => Math.Exp(-x * x / (2 * sigma * sigma))).ToArray();
        double sum = values.Sum();
        return values.Select(v => (float)(v / sum)).ToArray();
    }
}
