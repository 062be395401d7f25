using Folk.Lab.Evaluation;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

public class FeatureReadoutTests
{
    [Fact]
    public void EachReadoutReadsTheTokenAndBlockItNames()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var vit = new VisionTransformer(VisionTransformerConfig.Tiny16 with { ImageSize = 16, PatchSize = 4, Depth = 3 });
        vit.eval();
        var images = rand(2, 3, 16, 16);
        using var noGrad = no_grad();
        var final = vit.Tokens(images);
        var block2 = vit.IntermediateTokens(images, 2);
        TensorAssert.CloseRelativeToMax(final[.., 1..].mean(new long[] { 1 }), FeatureReadout.Default.Read(vit, images), 1e-6, "readout");
        TensorAssert.CloseRelativeToMax(vit.Pooled(images), FeatureReadout.Default.Read(vit, images), 1e-6, "readout");
        TensorAssert.CloseRelativeToMax(final[.., 0], new FeatureReadout(ReadoutToken.Class).Read(vit, images), 1e-6, "readout");
        TensorAssert.CloseRelativeToMax(block2[.., 0], FeatureReadout.Parse("cls@2").Read(vit, images), 1e-6, "readout");
        TensorAssert.CloseRelativeToMax(block2[.., 1..].mean(new long[] { 1 }), FeatureReadout.Parse("patch-mean@2").Read(vit, images), 1e-6, "readout");
        Assert.False(final[.., 0].allclose(block2[.., 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureReadout.Parse("cls@4").Read(vit, images));
    }

    [Theory]
    [InlineData("patch-mean", ReadoutToken.PatchMean, null)]
    [InlineData("cls", ReadoutToken.Class, null)]
    [InlineData("cls@6", ReadoutToken.Class, 6)]
    [InlineData("patch-mean@9", ReadoutToken.PatchMean, 9)]
    public void ReadoutsRoundTripThroughText(string text, ReadoutToken token, int? block)
    {
        var readout = FeatureReadout.Parse(text);
        Assert.Equal(new FeatureReadout(token, block), readout);
        Assert.Equal(text, readout.ToString());
    }

    [Theory]
    [InlineData("token")]
    [InlineData("cls@")]
    [InlineData("cls@0")]
    [InlineData("cls@x")]
    public void MalformedReadoutsAreRefusedWithTheirForm(string text) =>
        Assert.Contains("cls@6", Assert.Throws<FormatException>(() => FeatureReadout.Parse(text)).Message);
}
