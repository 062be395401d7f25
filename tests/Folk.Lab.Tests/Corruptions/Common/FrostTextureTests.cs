using Folk.Lab.Corruptions.Common;
using Folk.Lab.Frequency;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>
/// <see cref="FrostTexture"/> against the statistics of ImageNet-C's frost photographs, as
/// reference/python/frost_statistics.py measures them on hendrycks/robustness <c>ImageNet-C/create_c/frost*.png|jpg</c>
/// (2000 random crops per photograph, made as make_imagenet_c.py and make_cifar_c.py make them).
/// </summary>
public class FrostTextureTests
{
    // The photographs' grey level over all five: radial power-spectrum slope mean ± sd, and the share of non-DC energy
    // at N/4 cycles or more from DC, 5th…95th percentile (frost_statistics.py).
    public static TheoryData<int, double, double, double, double> PhotographSpectra() => new()
    {
        { 224, -1.83, 0.21, 0.126, 0.287 },
        { 32, -1.00, 0.29, 0.345, 0.704 },
    };

    [Theory]
    [MemberData(nameof(PhotographSpectra))]
    public void GreyLevelHasThePhotographsSpectrum(int side, double slope, double slopeSd, double shareLow, double shareHigh)
    {
        var table = CommonCorruptions.ConstantsFor(side);
        using var texture = FrostTexture.Sample(16, table, new Generator(3));
        Assert.Equal(new long[] { 16, 3, side, side }, texture.shape);
        using var grey = Grey(texture);
        var slopes = new List<double>();
        for (int b = 0; b < 16; b++)
            slopes.Add(RadialProfile.Compute(grey[b..(b + 1)]).FitPowerLaw(2, side / 2 - 1).Slope);
        double meanSlope = slopes.Average();
        Assert.InRange(meanSlope, slope - slopeSd, slope + slopeSd);
        using var shares = BandEnergy.Fractions(grey, [side / 4.0]);
        double share = shares[TensorIndex.Colon, 1].mean().item<double>();
        Assert.InRange(share, shareLow, shareHigh);
    }

    [Theory]
    [InlineData(224)]
    [InlineData(32)]
    public void EachTextureHasTheColourOfOneOfThePhotographs(int side)
    {
        var table = CommonCorruptions.ConstantsFor(side);
        using var texture = FrostTexture.Sample(12, table, new Generator(5)).to(ScalarType.Float64);
        var photographs = FrostTexture.PhotographStatistics(table);
        for (int b = 0; b < 12; b++)
        {
            var mean = texture[b].mean(new long[] { 1, 2 }).data<double>().ToArray();
            var std = texture[b].std(new long[] { 1, 2 }).data<double>().ToArray();
            // clipping at 1 pulls the brightest photographs' mean and spread in a little
            bool matches = photographs.Any(p => Enumerable.Range(0, 3).All(c =>
                Math.Abs(mean[c] - p.Mean[c]) < 0.02 && std[c] > 0.8 * p.Std[c] && std[c] < 1.05 * p.Std[c]));
            Assert.True(matches, $"image {b}: mean ({string.Join(", ", mean.Select(m => m.ToString("F3")))}), std ({string.Join(", ", std.Select(s => s.ToString("F3")))}) matches no photograph.");
        }
    }

    // Per severity: on a dark grey image nothing clips, so the blend's mean rises by c₁ times a photograph's mean colour
    // (bluish: B ≥ G ≥ R in all five) and its spread is c₁ times a photograph's.
    [Theory]
    [InlineData(224)]
    [InlineData(32)]
    public void FrostAddsThePhotographsColourAndSpreadScaledByTheSeverity(int side)
    {
        var table = CommonCorruptions.ConstantsFor(side);
        var photographs = FrostTexture.PhotographStatistics(table);
        double lowest = photographs.Min(p => p.Mean.Average()), highest = photographs.Max(p => p.Mean.Average());
        double leastSpread = photographs.Min(p => p.Std.Min()), mostSpread = photographs.Max(p => p.Std.Max());
        using var x = full(new long[] { 8, 3, side, side }, 0.2f);
        for (int severity = 1; severity <= 5; severity++)
        {
            var (c0, c1) = WeatherCorruptions.FrostBlend[severity, table];
            using var y = CommonCorruptions.Apply(CommonCorruption.Frost, x, severity, new Generator(7)).to(ScalarType.Float64);
            using var added = (y - 0.2 * c0) / c1;
            var channelMeans = added.mean(new long[] { 0, 2, 3 }).data<double>().ToArray();
            Assert.True(channelMeans[2] >= channelMeans[1] && channelMeans[1] >= channelMeans[0], $"severity {severity}: not bluish");
            Assert.InRange(channelMeans.Average(), lowest - 0.02, highest + 0.02);
            double spread = added.std(new long[] { 2, 3 }).mean().item<double>();
            Assert.InRange(spread, 0.8 * leastSpread, 1.05 * mostSpread);
        }
    }

    static Tensor Grey(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var x = rgb.to(ScalarType.Float64);
        var grey = x[TensorIndex.Colon, 0..1] * 0.299 + x[TensorIndex.Colon, 1..2] * 0.587 + x[TensorIndex.Colon, 2..3] * 0.114;
        return (grey - grey.mean(new long[] { 2, 3 }, keepdim: true)).MoveToOuterDisposeScope();
    }
}
