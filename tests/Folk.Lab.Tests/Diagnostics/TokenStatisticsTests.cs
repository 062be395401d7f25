using Folk.Lab.Diagnostics;
using Folk.Lab.Models;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Diagnostics;

/// <summary><see cref="TokenStatistics"/> on token maps whose statistics are known in closed form, and on a ViT.</summary>
[Collection(GlobalRngCollection.Name)]
public class TokenStatisticsTests
{
    /// <summary>B×D×h×w from tokens given per image as rows of D values.</summary>
    static Tensor Maps(double[][][] tokens, int h, int w) =>
        tensor(tokens.SelectMany(image => image.SelectMany(t => t)).ToArray(), [tokens.Length, h * w, tokens[0][0].Length])
            .transpose(1, 2).reshape(tokens.Length, tokens[0][0].Length, h, w);

    [Fact]
    public void TwoDirectionsOfVariance3And1GiveTheParticipationRatio1Point6()
    {
        // the four tokens (±√3, ±1) of one image: covariance diag(3, 1), so (3 + 1)² / (9 + 1) = 1.6 and λ_max share 3/4;
        // their mean is zero, so the only image's mean is the overall mean: no variance between images
        double r = Math.Sqrt(3);
        using var maps = Maps([[[r, 1], [r, -1], [-r, 1], [-r, -1]]], 2, 2);
        var s = TokenStatistics.Of(3, maps);
        Assert.Equal(3, s.Block);
        Assert.Equal(1.6, s.EffectiveRank, 12);
        Assert.Equal(0.75, s.TopDirectionShare, 12);
        Assert.Equal(0, s.ImageShare, 12);
        Assert.Equal(Math.Sqrt((3 + 1) / 2.0), s.Rms, 12);                           // every token has ‖x‖² = 4 over 2 entries
    }

    [Fact]
    public void TokensEqualWithinEachImageVaryOnlyBetweenImages()
    {
        // image i's four tokens all equal (i, 2i): all variance is between images, and along one direction
        using var maps = Maps(Enumerable.Range(0, 5).Select(i => Enumerable.Repeat(new double[] { i, 2 * i }, 4).ToArray()).ToArray(), 2, 2);
        var s = TokenStatistics.Of(1, maps);
        Assert.Equal(1, s.ImageShare, 12);
        Assert.Equal(1, s.EffectiveRank, 9);
        Assert.Equal(1, s.TopDirectionShare, 9);
    }

    [Fact]
    public void IsotropicTokensUseEveryDirection()
    {
        // 64 images × 64 tokens of independent N(0, 1) entries in 8 channels: covariance ≈ I, so the effective rank is
        // near 8 (its sampling error at 4,096 tokens is about 8 · 8 / 4,096 ≈ 0.016 · 8) and 1/64 of the variance lies
        // between the images' means (each mean of 64 tokens has variance 1/64)
        manual_seed(5);
        using var maps = randn(64, 8, 8, 8, dtype: ScalarType.Float64);
        var s = TokenStatistics.Of(2, maps);
        Assert.InRange(s.EffectiveRank, 7.8, 8.0);
        Assert.InRange(s.TopDirectionShare, 1 / 8.0, 1.3 / 8);
        Assert.InRange(s.ImageShare, 0.5 / 64, 1.5 / 64);
        Assert.InRange(s.Rms, 0.97, 1.03);
    }

    [Fact]
    public void AViTsStatisticsAreThoseOfItsBlockOutputs()
    {
        manual_seed(1);
        using var vit = (VisionTransformer)ModelCatalog.Create("vit-t", 32, patchSize: 8, depth: 3);
        vit.eval();
        using var images = TestImages.Natural(4, 32);
        var measured = TokenStatistics.Measure(vit, images);
        Assert.Equal([1, 2, 3], measured.Select(s => s.Block));
        using var noGrad = no_grad();
        var maps = vit.BlockOutputs(images, [2]);
        Assert.Equal(TokenStatistics.Of(2, maps[0]), measured[1]);
        maps[0].Dispose();
        Assert.Throws<ArgumentException>(() => TokenStatistics.Of(1, zeros(2, 3)));
    }
}
