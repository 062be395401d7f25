using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// The sequential local pixel shuffle at the heart of ImageNet-C's glass blur (hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c>, <c>glass_blur</c>): for each iteration, rows h and then columns w
/// run from S − δ down to δ + 1, and each visited pixel takes the value of the pixel at (h + dy, w + dx), with
/// dx and dy drawn from {−δ, …, δ − 1} (<c>np.random.randint(-δ, δ)</c>, whose upper end is exclusive).
/// </summary>
/// <remarks>
/// The published line reads as a swap, <c>x[h, w], x[h', w'] = x[h', w'], x[h, w]</c>, but on an H×W×3 numpy array
/// both right-hand items are views: <c>x[h, w]</c> is overwritten first, so the second assignment writes back the
/// value it already holds and the pixel at (h', w') is left unchanged. The benchmark was generated with that
/// behaviour, a copy, and Folk.Lab restates the copy (the parity test runs the published line in numpy). The visits
/// are sequential, since a pixel may be copied on after it was changed, so this runs as a loop over 8-bit values.
/// </remarks>
public static class LocalPixelShuffle
{
    /// <summary>How many rows (and columns) each iteration visits: S − 2δ.</summary>
    public static int Visited(int side, int maxDelta) => side - 2 * maxDelta;

    /// <summary>Draws B×iterations×n×n×2 offsets (dx, dy) in [−δ, δ) from <paramref name="generator"/>, n = S − 2δ.</summary>
    public static Tensor SampleOffsets(long batch, int side, int maxDelta, int iterations, Generator generator)
    {
        int n = Visited(side, maxDelta);
        return randint(-maxDelta, maxDelta, new long[] { batch, iterations, n, n, 2 }, dtype: ScalarType.Int64, generator: generator);
    }

    /// <summary>
    /// Shuffles the 8-bit pixels of a B×C×S×S uint8 batch. <paramref name="offsets"/> is B×iterations×n×n×2 int64:
    /// entry [b, i, a, c] holds (dx, dy) for the pixel visited at h = S − δ − a, w = S − δ − c in iteration i.
    /// </summary>
    /// <returns>A new uint8 tensor; every channel of a pixel moves together.</returns>
    public static Tensor Apply(Tensor images, Tensor offsets, int maxDelta)
    {
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
            throw new ArgumentException($"images must be a B×C×S×S uint8 batch; got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        Guard.Square(images, nameof(images), "the shuffle visits the same range of rows and columns");
        int batch = (int)images.shape[0], channels = (int)images.shape[1], side = (int)images.shape[2];
        int n = Visited(side, maxDelta);
        if (n < 1 || offsets.dim() != 5 || offsets.shape[0] != batch || offsets.shape[2] != n || offsets.shape[3] != n || offsets.shape[4] != 2)
            throw new ArgumentException($"offsets must be {batch}×iterations×{n}×{n}×2 for δ = {maxDelta} on {side}² images; got [{string.Join(", ", offsets.shape)}].", nameof(offsets));
        int iterations = (int)offsets.shape[1];
        using var contiguousImages = images.cpu().contiguous();
        using var contiguousOffsets = offsets.to(ScalarType.Int64).cpu().contiguous();
        var pixels = contiguousImages.data<byte>().ToArray();
        var draws = contiguousOffsets.data<long>().ToArray();
        if (draws.Any(d => d < -maxDelta || d >= maxDelta))
            throw new ArgumentOutOfRangeException(nameof(offsets), $"Offsets must lie in [{-maxDelta}, {maxDelta}).");
        long plane = (long)side * side, image = plane * channels;
        long d = 0;
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < iterations; i++)
                for (int h = side - maxDelta; h > maxDelta; h--)
                    for (int w = side - maxDelta; w > maxDelta; w--, d += 2)
                    {
                        long dx = draws[d], dy = draws[d + 1];
                        long target = b * image + h * side + w, source = target + dy * side + dx;
                        for (int c = 0; c < channels; c++) pixels[target + c * plane] = pixels[source + c * plane];
                    }
        return tensor(pixels, images.shape, dtype: ScalarType.Byte);
    }
}
