using Folk.Lab.Frequency;
using Folk.Lab.Masks;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Frequency;

public class BandEnergyTests
{
    [Fact]
    public void FractionsSumToOne()
    {
        using var x = TestImages.Natural(4, 64);
        using var fractions = BandEnergy.Fractions(x, new[] { 2.0, 8, 16 });
        Assert.Equal(new long[] { 4, 4 }, fractions.shape);
        using var sums = fractions.sum(1);
        Assert.True((sums - 1).abs().max().item<double>() < 1e-12);
        Assert.True(fractions.min().item<double>() >= 0);
    }

    [Fact]
    public void InnerBandIsTheEnergyALowPassMaskKeeps()
    {
        // Parseval: the energy of the (unclamped) low-pass image is the spectral energy inside the disc.
        using var x = TestImages.Natural(2, 64, seed: 3).to(ScalarType.Float64);
        using var fractions = BandEnergy.Fractions(x, new[] { 8.0 });
        using var mask = RadialMask.LowPassBranch(64, 8);
        using var lowPass = FrequencyFilter.Apply(x, mask, clamp: false);
        for (int b = 0; b < 2; b++)
        {
            double kept = lowPass[b].square().sum().item<double>() / x[b].square().sum().item<double>();
            TensorAssert.CloseRelative(kept, fractions[b, 0].item<double>(), 1e-9, $"image {b}");
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(33)]
    public void WithoutDcIsTheSplitOfTheImageMinusItsMeanColour(int size)
    {
        // Subtracting each channel's mean removes exactly the DC coefficient and nothing else, so the fractions of the
        // mean-free images, DC included (it is zero), are the fractions without DC of the originals.
        using var x = TestImages.Natural(3, size, seed: 5).to(ScalarType.Float64);
        using var meanFree = x - x.mean(new long[] { 2, 3 }, keepdim: true);
        double[] edges = { 1.5, 4, 9 };
        using var expected = BandEnergy.Fractions(meanFree, edges);
        using var ours = BandEnergy.FractionsWithoutDc(x, edges);
        TensorAssert.CloseRelativeToMax(expected, ours, 1e-9, "fractions without DC");
        using var sums = ours.sum(1);
        Assert.True((sums - 1).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void TheDcTermAloneHoldsAtLeastTheMeanPixelsShareOfTheEnergy()
    {
        // For x in [0,1], Σx² ≤ Σx, so |DC|² / Σx² ≥ mean: a band around DC holds much of the energy whatever the image.
        // Band 0 below radius 0.5 is DC alone; uniform noise has no low-frequency structure and still obeys it.
        using var noise = TestImages.Uniform(new long[] { 4, 3, 32, 32 });
        using var leaves = TestImages.Natural(4, 32, seed: 7);
        foreach (var (name, images) in new[] { ("noise", noise), ("leaves", leaves) })
        {
            using var dc = BandEnergy.Fractions(images, new[] { 0.5 });
            using var withoutDc = BandEnergy.FractionsWithoutDc(images, new[] { 0.5 });
            for (int b = 0; b < 4; b++)
            {
                double mean = images[b].mean().item<float>();
                Assert.True(dc[b, 0].item<double>() >= mean - 1e-6, $"{name} {b}: DC share {dc[b, 0].item<double>():F4} < mean {mean:F4}");
                Assert.Equal(0.0, withoutDc[b, 0].item<double>());
            }
        }
    }

    [Theory]
    [InlineData(new double[0], "at least one")]
    [InlineData(new[] { 4.0, 2.0 }, "increase strictly")]
    [InlineData(new[] { 0.0, 2.0 }, "edges[0] must be > 0")]
    public void BadEdgesAreRefused(double[] edges, string message)
    {
        using var x = zeros(1, 1, 8, 8);
        var e = Assert.ThrowsAny<ArgumentException>(() => BandEnergy.Fractions(x, edges));
        Assert.Contains(message, e.Message);
    }

    [PyTorchFact]
    public void MatchesPyTorch()
    {
        using var x = TestImages.Natural(3, 40);
        double[] edges = { 3, 7.5, 12 };
        using var ours = BandEnergy.Fractions(x, edges);
        var reference = PyTorchReference.Call("band_energy", new Dictionary<string, Tensor> { ["images"] = x }, new { edges });
        TensorAssert.CloseRelativeToMax(reference["fractions"], ours, 1e-6, "band fractions");
    }
}
