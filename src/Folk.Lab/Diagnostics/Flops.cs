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

    /// <summary>Forward FLOPs of one feature vector through DINO's projection head (MLP and the K-way last layer).</summary>
    public static double DinoHeadForward(int features, Models.Heads.DinoHeadConfig head)
    {
        double macs = 0, width = features;
        for (int i = 0; i < head.Layers - 1; i++) { macs += width * head.HiddenDim; width = head.HiddenDim; }
        macs += width * head.BottleneckDim + (double)head.BottleneckDim * head.OutputDim;
        return 2 * macs;
    }

    /// <summary>
    /// FLOPs of one FOLK training step per image: the student's forward and backward on every global view (encoder,
    /// MFM head, projection head) and the teacher's forward on every clean view (encoder, projection head). With two
    /// views that is 2·3 + 2 = 8 encoder units against MFM's 3 (about 2.7×).
    /// </summary>
    public static double FolkStep(VisionTransformerConfig c, Models.Heads.DinoHeadConfig head, int views = 2)
    {
        double projection = DinoHeadForward(c.EmbedDim, head);
        double student = TrainingStep(VisionTransformerForward(c) + projection);
        double teacher = VisionTransformerForward(c, withMfmHead: false) + projection;
        return views * (student + teacher);
    }

    /// <summary>A training step costs about three forwards (forward, and a backward of twice the work).</summary>
    public static double TrainingStep(double forwardFlops) => 3 * forwardFlops;
}
