using Folk.Lab.Models;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// Floating-point operations of the models, counted analytically (a multiply-add is two FLOPs), as nanoGPT's MFU
/// estimate does: matrix products only; norms, activations, softmax and FFTs are a few percent and left out.
/// </summary>
public static class Flops
{
    /// <summary>Forward FLOPs of one image through a ViT encoder and MFM's head.</summary>
    public static double VisionTransformerForward(VisionTransformerConfig c, bool withMfmHead = true)
    {
        double n = c.GridSize * c.GridSize, tokens = n + 1, d = c.EmbedDim, hidden = d * c.MlpRatio;
        double patchEmbed = n * (3.0 * c.PatchSize * c.PatchSize) * d;
        double perBlock = tokens * (3 * d * d + d * d + 2 * d * hidden)   // qkv, proj, fc1, fc2
                          + 2 * tokens * tokens * d;                         // q·kᵀ and attention·v
        double head = withMfmHead ? n * d * (3.0 * c.PatchSize * c.PatchSize) : 0;
        return 2 * (patchEmbed + c.Depth * perBlock + head);
    }

    /// <summary>A training step costs about three forwards (forward, and a backward of twice the work).</summary>
    public static double TrainingStep(double forwardFlops) => 3 * forwardFlops;
}
