using static TorchSharp.torch;

namespace Folk.Lab.Masks;

/// <summary>
/// Keeps the highest-scoring frequencies of each row of a batch of score maps, with a per-row count: the selection
/// step shared by the Com masks (score = magnitude) and the random masks (score = uniform noise).
/// </summary>
/// <remarks>
/// A frequency is kept when its score is at least the k-th largest score of its row, so ties at the threshold are
/// all kept. Score maps that are symmetric under k → −k therefore give Hermitian-symmetric masks (a frequency and
/// its partner tie exactly), whose filtered images are real; the price is that a row may keep one frequency more
/// than k, the partner of the k-th.
/// </remarks>
internal static class LargestFrequencies
{
    /// <param name="scores">R×H×W float scores.</param>
    /// <param name="keepCounts">How many frequencies each of the R rows keeps, each in [1, H·W].</param>
    /// <returns>R×H×W float32 mask, 1 = kept.</returns>
    public static Tensor Keep(Tensor scores, long[] keepCounts)
    {
        long rows = scores.shape[0], h = scores.shape[1], w = scores.shape[2];
        if (keepCounts.Length != rows)
            throw new ArgumentException($"Expected {rows} keep counts, one per row; got {keepCounts.Length}.", nameof(keepCounts));
        using var scope = NewDisposeScope();
        var flat = scores.reshape(rows, h * w);
        long largest = keepCounts.Max();
        var top = flat.topk((int)largest, dim: 1).values;
        var k = tensor(keepCounts.Select(c => c - 1).ToArray(), device: scores.device).view(rows, 1);
        var threshold = top.gather(1, k);
        return flat.ge(threshold).to(ScalarType.Float32).view(rows, h, w).MoveToOuterDisposeScope();
    }
}
