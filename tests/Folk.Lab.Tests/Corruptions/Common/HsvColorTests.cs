using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary><see cref="HsvColor"/> against scikit-image's <c>rgb2hsv</c> (reference/python/imagenet_c_weather.py).</summary>
public class HsvColorTests
{
    /// <summary>Random colours on a coarse grid of levels, so that many pixels tie for the maximum (and some are grey).</summary>
    static Tensor TiedColours() => (TestImages.Uniform([2, 3, 24, 24], seed: 13) * 4).floor() / 4;

    // Same float64 formulas: equal up to the last ulp of a division (hue of a pixel on the red/green/blue boundary).
    [ImageNetCReferenceFact]
    public void MatchesScikitImageIncludingItsTieRule()
    {
        using var x = TiedColours().to(ScalarType.Float64);
        using var ours = HsvColor.FromRgb(x);
        using var theirs = PyTorchReference.Call("imagenet_c/weather/rgb2hsv", new Dictionary<string, Tensor> { ["images"] = x }, new { })["out"];
        TensorAssert.CloseRelativeToMax(theirs, ours, 1e-15, "rgb2hsv");
    }

    [Fact]
    public void RoundTripsAndKnowsThePrimaries()
    {
        using var x = TestImages.Uniform([2, 3, 16, 16], seed: 14).to(ScalarType.Float64);
        using var back = HsvColor.ToRgb(HsvColor.FromRgb(x));
        TensorAssert.CloseRelativeToMax(x, back, 1e-14, "hsv2rgb(rgb2hsv(x))");
        // pure red, green, blue and a grey: hues 0, ⅓, ⅔ and 0, saturations 1, 1, 1 and 0
        using var colours = tensor(new double[] { 1, 0, 0, 0.5, 0, 1, 0, 0.5, 0, 0, 1, 0.5 }).reshape(1, 3, 1, 4);
        using var hsv = HsvColor.FromRgb(colours);
        Assert.Equal(new[] { 0, 1 / 3.0, 2 / 3.0, 0 }, hsv[0, 0, 0].data<double>().ToArray(), new ToleranceComparer(1e-15));
        Assert.Equal(new[] { 1.0, 1, 1, 0 }, hsv[0, 1, 0].data<double>().ToArray());
        Assert.Equal(new[] { 1.0, 1, 1, 0.5 }, hsv[0, 2, 0].data<double>().ToArray());
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
