using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Folk.Lab.Models.Segmentation;

/// <summary>
/// BEiT's and MAE's adapter from a plain ViT to a feature pyramid (microsoft/unilm
/// <c>beit/semantic_segmentation/backbone/beit.py</c>, patch size 16; mmsegmentation's <c>Feature2Pyramid</c> with
/// rescales [4, 2, 1, 0.5]): four same-stride token maps become four scales: fpn1 = ConvTranspose 2×2 stride 2 →
/// BatchNorm → GELU → ConvTranspose 2×2 stride 2 (×4), fpn2 = ConvTranspose 2×2 stride 2 (×2), fpn3 = identity,
/// fpn4 = MaxPool 2×2 (×½). For patch 16: strides 4, 8, 16 and 32, a ResNet's.
/// </summary>
/// <remarks>Folk.Lab uses these four scales whatever the patch size (BEiT switches to ×2, ×1, ×½, ×¼ for patch 8): the
/// CPU miniature's patch 4 then reaches stride 1, which small images need. The transposed convolutions keep PyTorch's
/// default initialisation, as the reference's <c>_init_weights</c> touches only Linear and LayerNorm layers.</remarks>
public sealed class FeaturePyramid : nn.Module
{
    private readonly Sequential fpn1;
    private readonly Sequential fpn2;
    private readonly MaxPool2d fpn4;

    /// <summary>Creates the adapter for <paramref name="dim"/>-wide token maps.</summary>
    public FeaturePyramid(int dim) : base(nameof(FeaturePyramid))
    {
        fpn1 = nn.Sequential(
            nn.ConvTranspose2d(dim, dim, kernel_size: 2, stride: 2),
            nn.BatchNorm2d(dim),
            nn.GELU(),
            nn.ConvTranspose2d(dim, dim, kernel_size: 2, stride: 2));
        fpn2 = nn.Sequential(nn.ConvTranspose2d(dim, dim, kernel_size: 2, stride: 2));
        fpn4 = nn.MaxPool2d(kernel_size: 2, stride: 2);
        RegisterComponents();
    }

    /// <summary>Four B×D×h×w maps (the outputs of four blocks) → B×D×4h×4w, B×D×2h×2w, B×D×h×w, B×D×(h/2)×(w/2).</summary>
    public Tensor[] Forward(IReadOnlyList<Tensor> levels)
    {
        if (levels.Count != 4) throw new ArgumentException($"The pyramid takes four token maps; got {levels.Count}.", nameof(levels));
        return [fpn1.forward(levels[0]), fpn2.forward(levels[1]), levels[2].alias(), fpn4.forward(levels[3])];
    }
}
