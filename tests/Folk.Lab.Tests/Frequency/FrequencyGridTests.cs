using Folk.Lab.Frequency;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Frequency;

public class FrequencyGridTests
{
    [Theory]
    [InlineData(224, 112)] [InlineData(7, 3)] [InlineData(8, 4)] [InlineData(1, 0)]
    public void CenterIsWhereFftShiftPutsDc(long n, long center)
    {
        Assert.Equal(center, FrequencyGrid.Center(n));
        // fftshift of a unit impulse at index 0 (DC) must land on the centre.
        using var impulse = zeros(n);
        impulse[0] = 1;
        using var shifted = fft.fftshift(impulse);
        Assert.Equal(center, shifted.argmax().item<long>());
    }

    [Fact]
    public void SquaredRadiusIsZeroAtDcAndCountsCyclesPerImage()
    {
        using var d2 = FrequencyGrid.SquaredRadius(6, 5);
        Assert.Equal(0f, d2[3, 2].item<float>());
        Assert.Equal(9f + 4f, d2[0, 0].item<float>());    // (0−3)² + (0−2)²
        Assert.Equal(4f + 4f, d2[5, 4].item<float>());    // (5−3)² + (4−2)²
    }

    [Theory]
    [InlineData(8, 8)] [InlineData(7, 9)] [InlineData(6, 5)]
    public void MirrorIsAnInvolutionThatFixesDc(long h, long w)
    {
        using var x = TestImages.Uniform(new[] { 2, h, w });
        using var twice = FrequencyGrid.Mirror(FrequencyGrid.Mirror(x));
        TensorAssert.Equal(x, twice, "Mirror∘Mirror");
        using var mirrored = FrequencyGrid.Mirror(x);
        long cy = FrequencyGrid.Center(h), cx = FrequencyGrid.Center(w);
        Assert.Equal(x[0, cy, cx].item<float>(), mirrored[0, cy, cx].item<float>());
        // one step right of DC maps to one step left of DC
        Assert.Equal(x[1, cy, (cx + 1) % w].item<float>(), mirrored[1, cy, (cx - 1 + w) % w].item<float>());
    }
}
