using Folk.Lab.Diagnostics;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Diagnostics;

[Collection(GlobalRngCollection.Name)]
public class FirstLayerSpectrumTests
{
    [Fact]
    public void AnImpulseAnswersToEveryFrequencyAlike()
    {
        // a single tap: |DFT|² = 1/n² at every frequency of the n×n orthonormal transform, wherever the tap sits
        using var filters = zeros(2, 3, 8, 8);
        filters[0, 0, 0, 0] = tensor(1f);
        filters[1, 2, 5, 3] = tensor(1f);
        var profile = FirstLayerSpectrum.Profile(filters, 32);
        Assert.Equal(16, profile.Radii.Length);
        // one of three channels is the impulse, the others zero: the channel mean is a third of 1/32²
        Assert.All(profile.Power, row => Assert.All(row, p => Assert.InRange(p * 3 * 32 * 32, 1 - 1e-6, 1 + 1e-6)));   // float32 transform
        Assert.Equal(FirstLayerSpectrum.FlatHighFrequencyShare(32), FirstLayerSpectrum.HighFrequencyShare(filters, 32), 9);
    }

    [Fact]
    public void ABoxFilterPassesDcAtItsSumAndLittleAboveHalfNyquist()
    {
        // a k×k box of ones: the DC coefficient is k²/n (orthonormal), so its power is k⁴/n²; ring 0 holds DC alone
        const int k = 8, n = 32;
        using var box = ones(1, 1, k, k);
        var profile = FirstLayerSpectrum.Profile(box, n);
        Assert.Equal(Math.Pow(k, 4) / (n * n), profile.Power[0][0], 9);
        // its response falls to its first zero at n/k = 4 cycles: most of the power lies below a quarter of n, against
        // four fifths of it above for a flat response
        Assert.InRange(FirstLayerSpectrum.HighFrequencyShare(box, n), 0, 0.15);
        // 193 of the 32² frequencies lie strictly inside radius 8 (the Gauss circle count 197 less the 4 on the circle)
        Assert.Equal((1024 - 193) / 1024.0, FirstLayerSpectrum.FlatHighFrequencyShare(n), 12);
        // Parseval: the power over all n² frequencies is the sum of the squared weights, k² (rings miss only the corners)
        double inRings = profile.Power[0].Zip(profile.Counts).Sum(p => p.First * p.Second);
        Assert.InRange(inRings, 0.97 * k * k, k * k);
    }

    [Fact]
    public void AlternatingSignsAnswerAtTheNyquistCorner()
    {
        // (−1)^(x+y): all power at the highest frequency, which lies beyond a quarter of n
        using var checker = (arange(8).unsqueeze(1) + arange(8).unsqueeze(0)).remainder(2).mul(-2).add(1).to(ScalarType.Float32).reshape(1, 1, 8, 8);
        Assert.InRange(FirstLayerSpectrum.HighFrequencyShare(checker, 32), 0.95, 1.0);
    }

    [Fact]
    public void TheWeightsAreTheFirstConvolutionsOfAVitAndAResNet()
    {
        manual_seed(0);
        using var vit = ModelCatalog.Create("vit-t", 32, 8, depth: 1);
        var weights = FirstLayerSpectrum.Weights(vit);
        Assert.Equal(new long[] { 192, 3, 8, 8 }, weights.shape);
        var direct = vit.named_parameters().Single(p => p.name == "patch_embed.proj.weight").parameter;
        Assert.True(weights.eq(direct.detach()).all().item<bool>());
        weights.zero_();
        Assert.False(direct.eq(0).all().item<bool>());                          // a copy: the model is untouched

        using var resnet = ModelCatalog.Create("resnet50", 32);
        Assert.Equal(new long[] { 64, 3, 7, 7 }, FirstLayerSpectrum.Weights(resnet).shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => FirstLayerSpectrum.Profile(weights, 4));
    }

    [Fact]
    public void AFreshPatchEmbeddingIsFlatWithinItsSamplingSpread()
    {
        // independent draws have a flat expected response; 192 × 3 filters average the spread down to a few per cent
        manual_seed(1);
        using var vit = ModelCatalog.Create("vit-t", 32, 8, depth: 1);
        ((VisionTransformer)vit).InitializeForPretraining();
        var weights = FirstLayerSpectrum.Weights(vit);
        Assert.InRange(FirstLayerSpectrum.HighFrequencyShare(weights, 32) / FirstLayerSpectrum.FlatHighFrequencyShare(32), 0.95, 1.05);
        Assert.InRange(FirstLayerSpectrum.Profile(weights, 32).FitPowerLaw().Slope, -0.15, 0.15);
    }
}
