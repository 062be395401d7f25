using Folk.Lab.Diagnostics;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Diagnostics;

public class FlopsTests
{
    [Fact]
    public void VitBaseForwardIsAbout17Point6GigaMultiplyAdds()
    {
        // ViT-B/16 at 224², all 197 tokens (MFM drops none), ≈ 17.6 G multiply-adds per image.
        double macs = Flops.VisionTransformerForward(VisionTransformerConfig.Base16) / 2;
        Assert.InRange(macs / 1e9, 17.4, 17.8);
        Assert.Equal(3 * Flops.VisionTransformerForward(VisionTransformerConfig.Base16), Flops.TrainingStep(Flops.VisionTransformerForward(VisionTransformerConfig.Base16)));
    }

    [Fact]
    public void CountMatchesTheParametersOfTheLinearLayersTimesTheTokens()
    {
        // without attention (the only parameter-free matmul), FLOPs = 2 × tokens × weights of every linear map
        var c = VisionTransformerConfig.Tiny16 with { ImageSize = 32, PatchSize = 16, Depth = 3 };
        using var vit = new VisionTransformer(c);
        long blockWeights = vit.named_parameters().Where(p => p.name.StartsWith("blocks.") && p.name.EndsWith("weight") && p.parameter.dim() == 2).Sum(p => p.parameter.numel());
        double tokens = 5, attention = c.Depth * 2 * tokens * tokens * c.EmbedDim;
        double patches = 2 * 4 * (3 * 16 * 16) * c.EmbedDim;   // patch embedding and MFM head, 4 patches each
        Assert.Equal(2 * (tokens * blockWeights + attention + patches), Flops.VisionTransformerForward(c), 6);
    }
}
