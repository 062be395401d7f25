using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>
/// <see cref="LinearZoom"/> against scipy.ndimage's <c>zoom(order=1)</c> and <see cref="ClippedZoom"/> against
/// ImageNet-C's <c>clipped_zoom</c>, both run by reference/python/imagenet_c_blur.py.
/// </summary>
public class ZoomTests
{
    // scipy interpolates in float64 and sums the four bilinear products in another order than the two matrix
    // products here: differences of a few float64 ulps of values ≤ 1.
    const double Float64Tolerance = 1e-14;

    // 15 → 26 is a size where scipy's (m − 1)·((n − 1)/(m − 1)) rounds above n − 1: its constant mode zeroes the last
    // row and column, and so must LinearZoom. The others are ordinary magnifications and a reduction.
    [ImageNetCReferenceTheory]
    [InlineData(15, 26.0 / 15)]
    [InlineData(32, 1.75)]
    [InlineData(40, 1.13)]
    [InlineData(224, 1.07)]
    [InlineData(50, 0.62)]
    public void LinearZoomMatchesScipy(int side, double factor)
    {
        using var x = TestImages.Uniform([2, 3, side, side], seed: side).to(ScalarType.Float64);
        using var ours = LinearZoom.Apply(x, factor);
        using var theirs = PyTorchReference.Call("imagenet_c/blur/scipy_zoom", new Dictionary<string, Tensor> { ["images"] = x }, new { factor })["out"];
        Assert.Equal(theirs.shape, ours.shape);
        TensorAssert.CloseRelativeToMax(theirs, ours, Float64Tolerance, $"zoom {side}² by {factor}");
    }

    [Fact]
    public void LinearZoomZeroesTheEdgeWhereScipysCoordinateOvershoots()
    {
        // (26 − 1)·(14/25) = 14.000000000000002 > 14: the last output row falls outside the input
        Assert.True(25 * (14.0 / 25) > 14);
        var weights = LinearZoom.Matrix(15, 26);
        Assert.Equal(0.0, Enumerable.Range(0, 15).Sum(i => weights[25, i]));
        for (int k = 0; k < 25; k++) Assert.Equal(1.0, Enumerable.Range(0, 15).Sum(i => weights[k, i]), 12);
    }

    [ImageNetCReferenceTheory]
    [InlineData(224, 1.11)]
    [InlineData(224, 4.5)]
    [InlineData(224, 2.5)]
    [InlineData(32, 1.25)]
    [InlineData(32, 2.25)]
    [InlineData(32, 1.0)]
    public void ClippedZoomMatchesImageNetC(int side, double factor)
    {
        using var x = TestImages.Uniform([1, 3, side, side], seed: 9).to(ScalarType.Float64);
        using var ours = ClippedZoom.Apply(x, factor);
        using var theirs = PyTorchReference.Call("imagenet_c/blur/clipped_zoom", new Dictionary<string, Tensor> { ["images"] = x }, new { factor })["out"];
        Assert.Equal(new long[] { 1, 3, side, side }, ours.shape);
        TensorAssert.CloseRelativeToMax(theirs, ours, Float64Tolerance, $"clipped zoom {side}² by {factor}");
    }

    [Fact]
    public void ClippedZoomByOneIsTheIdentityAndMagnifiesAboutTheCentre()
    {
        using var x = TestImages.Uniform([1, 1, 32, 32], seed: 4);
        TensorAssert.Equal(x, ClippedZoom.Apply(x, 1.0), "zoom 1");
        // by 2: crop 16 from 8, zoom to 32 (in-coordinate k·15/31), trim 0: output k reads input 8 + k·15/31
        using var zoomed = ClippedZoom.Apply(x.to(ScalarType.Float64), 2.0);
        for (int k = 0; k < 32; k += 7)
        {
            double c = 8 + k * 15.0 / 31;
            int lo = (int)Math.Floor(c);
            double t = c - lo;
            double expected = x[0, 0, 8, lo].item<float>() * (1 - t) + (t > 0 ? x[0, 0, 8, lo + 1].item<float>() * t : 0);
            Assert.Equal(expected, zoomed[0, 0, 0, k].item<double>(), 6);
        }
    }
}
