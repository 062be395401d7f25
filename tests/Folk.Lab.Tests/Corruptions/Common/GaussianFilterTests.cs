using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

public class GaussianFilterTests
{
    [Theory]
    [InlineData(1.5, 4.0, 6)]           // ⌊4·1.5 + ½⌋ = 6
    [InlineData(2.44, 3.0, 7)]          // ImageNet-C's elastic σ at severities 3–5: ⌊7.32 + ½⌋
    [InlineData(244 * 0.7, 3.0, 512)]   // ImageNet-C's elastic σ at severity 1: 1025 taps on a 224-pixel axis
    public void KernelIsTheNormalisedGaussianOnScipysRadius(double sigma, double truncate, int radius)
    {
        var k = GaussianFilter.Kernel(sigma, truncate);
        Assert.Equal(2 * radius + 1, k.Length);
        Assert.Equal(1.0, k.Sum(), 12);
        for (int x = -radius; x <= radius; x++)                                   // k(x)/k(0) = exp(−x²/2σ²)
            Assert.Equal(Math.Exp(-x * x / (2 * sigma * sigma)), k[x + radius] / k[radius], 12);
    }

    [Theory]
    [InlineData(BoundaryMode.Reflect, new long[] { 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0 })]    // d c b a | a b c d | d c b a
    [InlineData(BoundaryMode.Mirror, new long[] { 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2 })]     // d c b | a b c d | c b a
    [InlineData(BoundaryMode.Nearest, new long[] { 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3 })]
    [InlineData(BoundaryMode.Wrap, new long[] { 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0 })]
    public void SourceIndexFollowsTheModesDefinition(BoundaryMode mode, long[] expected)
    {
        var got = Enumerable.Range(-2, 11).Select(i => GaussianFilter.SourceIndex(i, 4, mode)).ToArray();
        Assert.Equal(expected, got);
    }

    [PyTorchTheory]
    [InlineData("symmetric", BoundaryMode.Reflect)]
    [InlineData("reflect", BoundaryMode.Mirror)]
    [InlineData("edge", BoundaryMode.Nearest)]
    [InlineData("wrap", BoundaryMode.Wrap)]
    public void SourceIndexMatchesNumpyPadIncludingPaddingWiderThanTheAxis(string numpyMode, BoundaryMode mode)
    {
        foreach (var (n, width) in new[] { (1, 3), (2, 7), (5, 3), (5, 23) })
        {
            var reference = PyTorchReference.Call("imagenet_c/filters/pad", new Dictionary<string, Tensor>(), new { n, width, mode = numpyMode });
            using var index = reference["index"];
            var expected = index.data<long>().ToArray();
            var ours = Enumerable.Range(-width, n + 2 * width).Select(i => GaussianFilter.SourceIndex(i, n, mode)).ToArray();
            Assert.True(expected.SequenceEqual(ours), $"n = {n}, width = {width}: numpy {string.Join(",", expected)} vs ours {string.Join(",", ours)}");
        }
    }

    public static TheoryData<string, BoundaryMode, double, double> FilterCases()
    {
        var data = new TheoryData<string, BoundaryMode, double, double>();
        foreach (var (name, mode) in new[] { ("reflect", BoundaryMode.Reflect), ("mirror", BoundaryMode.Mirror), ("nearest", BoundaryMode.Nearest), ("wrap", BoundaryMode.Wrap), ("constant", BoundaryMode.Constant) })
        {
            data.Add(name, mode, 1.3, 4.0);      // radius 5, shorter than both axes: the convolution path
            data.Add(name, mode, 4.0, 4.0);      // radius 16 on axes of 17 and 13: wider than one of them
            data.Add(name, mode, 9.0, 3.0);      // radius 27: wider than both, reflected more than once
        }
        return data;
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(FilterCases))]
    public void FilterMatchesScipyInEveryMode(string scipyMode, BoundaryMode mode, double sigma, double truncate)
    {
        using var x = TestImages.Uniform(new long[] { 2, 2, 17, 13 }, seed: 11, dtype: ScalarType.Float64);
        using var ours = GaussianFilter.Apply(x, sigma, mode, truncate);
        var reference = PyTorchReference.Call("imagenet_c/filters/gaussian_filter", new Dictionary<string, Tensor> { ["images"] = x },
            new { sigma, mode = scipyMode, truncate });
        // float64 on both sides; only the order of the sums differs
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1e-13, $"gaussian_filter σ = {sigma}, mode = {scipyMode}");
    }

    [ImageNetCReferenceFact]
    public void FilterMatchesScipyOnTheElasticTransformsWidestKernelAndInFloat32()
    {
        using var fields = TestImages.Uniform(new long[] { 1, 2, 224, 224 }, seed: 12, dtype: ScalarType.Float64);
        using var ours = GaussianFilter.Apply(fields, 244 * 0.7, BoundaryMode.Reflect, truncate: 3);
        var reference = PyTorchReference.Call("imagenet_c/filters/gaussian_filter", new Dictionary<string, Tensor> { ["images"] = fields },
            new { sigma = 244 * 0.7, mode = "reflect", truncate = 3.0 });
        TensorAssert.CloseRelativeToMax(reference["out"], ours, 1e-12, "σ = 170.8, 1025 taps on 224 pixels");

        using var single = TestImages.Uniform(new long[] { 2, 3, 31, 31 }, seed: 13);
        using var ours32 = GaussianFilter.Apply(single, 1.5, BoundaryMode.Nearest);
        var reference32 = PyTorchReference.Call("imagenet_c/filters/gaussian_filter", new Dictionary<string, Tensor> { ["images"] = single },
            new { sigma = 1.5, mode = "nearest", truncate = 4.0 });
        // scipy accumulates float32 input in float64 and rounds once; Folk.Lab accumulates in float32 (13 taps)
        TensorAssert.CloseRelativeToMax(reference32["out"], ours32, 1e-6, "float32, σ = 1.5, nearest");
    }

    [Fact]
    public void ZeroSigmaIsACopyAsScipySkipsTheAxis()
    {
        using var x = TestImages.Uniform(new long[] { 1, 2, 8, 8 });
        using var y = GaussianFilter.Apply(x, 0, BoundaryMode.Reflect, truncate: 3);
        TensorAssert.Equal(x, y, "σ = 0");
        Assert.NotEqual(x.Handle, y.Handle);
    }

    [Theory]
    [InlineData(BoundaryMode.Reflect)]
    [InlineData(BoundaryMode.Mirror)]
    [InlineData(BoundaryMode.Nearest)]
    [InlineData(BoundaryMode.Wrap)]
    public void ConstantImagesStayConstantOnBothPathsAndWrapKeepsTheSum(BoundaryMode mode)
    {
        using var flat = full(new long[] { 1, 1, 9, 9 }, 0.25, dtype: ScalarType.Float64);
        foreach (var sigma in new[] { 1.0, 10.0 })                                // 9 taps and 81 taps on 9 pixels
        {
            using var y = GaussianFilter.Apply(flat, sigma, mode);
            Assert.True((y - 0.25).abs().max().item<double>() < 1e-14, $"σ = {sigma}");
        }
        // periodic borders lose no mass: the sum is kept whatever the kernel's width
        using var x = TestImages.Uniform(new long[] { 1, 1, 9, 9 }, seed: 4, dtype: ScalarType.Float64);
        using var wrapped = GaussianFilter.Apply(x, 10.0, BoundaryMode.Wrap);
        Assert.Equal(x.sum().item<double>(), wrapped.sum().item<double>(), 12);
    }
}
