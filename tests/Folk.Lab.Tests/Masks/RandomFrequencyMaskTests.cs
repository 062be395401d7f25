using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Masks;

public class RandomFrequencyMaskTests
{
    [Theory]
    [InlineData(32, 32, 0.5)] [InlineData(31, 27, 0.75)] [InlineData(224, 224, 0.9)]
    public void RemovesTheRatioInHermitianPairs(long h, long w, double ratio)
    {
        using var images = zeros(4, 3, h, w);
        using var g = new Generator(5);
        using var batch = new RandomFrequencyMask(new RandomFrequencyMaskOptions { MaskRatio = ratio }).Sample(images, g);
        long keep = (long)Math.Round((1 - ratio) * h * w);
        using var kept = batch.Masks.sum(new long[] { 1, 2 });
        foreach (var count in kept.data<float>().ToArray()) Assert.InRange(count, keep, keep + 1);
        using var mirrored = FrequencyGrid.Mirror(batch.Masks);
        TensorAssert.Equal(batch.Masks, mirrored, "mask vs its mirror");
    }

    [Fact]
    public void EveryFrequencyIsEquallyLikelyToBeKeptDcIncluded()
    {
        using var images = zeros(4000, 1, 8, 8);
        using var g = new Generator(9);
        using var batch = new RandomFrequencyMask().Sample(images, g);
        using var rate = batch.Masks.mean(new long[] { 0 });
        double sigma = Math.Sqrt(0.25 / 4000);
        Assert.InRange(rate[4, 4].item<float>(), 0.5 - 4 * sigma, 0.5 + 4 * sigma);   // DC, self-paired
        Assert.InRange(rate[0, 0].item<float>(), 0.5 - 4 * sigma, 0.5 + 4 * sigma);   // Nyquist corner, self-paired
        Assert.InRange(rate.min().item<float>(), 0.5 - 5 * sigma, 0.5 + 5 * sigma);
        Assert.InRange(rate.max().item<float>(), 0.5 - 5 * sigma, 0.5 + 5 * sigma);
    }

    [Theory]
    [InlineData(0.0)] [InlineData(1.0)] [InlineData(-0.5)]
    public void RatioMustLieStrictlyBetweenZeroAndOne(double ratio)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomFrequencyMask(new RandomFrequencyMaskOptions { MaskRatio = ratio }));
        Assert.Equal("MaskRatio", e.ParamName);
    }
}
