using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// Attention rollout (Abnar &amp; Zuidema, "Quantifying Attention Flow in Transformers", 2020): how much each patch
/// token contributes to the cls token through all blocks, treating each block's head-averaged attention plus the
/// residual path (<c>½A + ½I</c>, rows renormalised) as one mixing step and multiplying the steps.
/// </summary>
public static class AttentionRollout
{
    /// <summary>The rollout of a ViT's attention.</summary>
    /// <param name="weights">Per block B×heads×(N+1)×(N+1), cls first (VisionTransformer.AttentionWeights).</param>
    /// <param name="blocks">Blocks to roll through, from the first (default: all).</param>
    /// <returns>B×N float32: the cls token's share from each patch token, summing with the cls share to 1.</returns>
    public static Tensor ClsToPatches(IReadOnlyList<Tensor> weights, int? blocks = null)
    {
        if (weights.Count == 0) throw new ArgumentException("weights must hold at least one block's attention.", nameof(weights));
        int count = blocks ?? weights.Count;
        if (count < 1 || count > weights.Count)
            throw new ArgumentOutOfRangeException(nameof(blocks), count, $"must be between 1 and {weights.Count}.");
        using var scope = NewDisposeScope();
        long tokens = weights[0].shape[^1];
        var identity = eye(tokens, dtype: ScalarType.Float32, device: weights[0].device);
        Tensor? rollout = null;
        for (int i = 0; i < count; i++)
        {
            var mixed = weights[i].to(ScalarType.Float32).mean(new long[] { 1 }) * 0.5 + identity * 0.5;  // B×T×T
            mixed = mixed / mixed.sum(-1, keepdim: true);
            rollout = rollout is null ? mixed : mixed.matmul(rollout);
        }
        return rollout!.select(1, 0).narrow(1, 1, tokens - 1).contiguous().MoveToOuterDisposeScope();
    }
}
