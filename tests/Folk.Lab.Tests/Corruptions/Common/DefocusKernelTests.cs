using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary><see cref="DefocusKernel"/> against ImageNet-C's <c>disk</c> (numpy and OpenCV's GaussianBlur, run by
/// reference/python/imagenet_c_blur.py).</summary>
public class DefocusKernelTests
{
    // Both are float32: OpenCV's separable GaussianBlur and two conv2d passes sum three (five) products in possibly
    // different orders, a few ulps of the largest weight.
    [ImageNetCReferenceTheory]
    [InlineData(3, 0.1)]
    [InlineData(4, 0.5)]
    [InlineData(6, 0.5)]
    [InlineData(8, 0.5)]
    [InlineData(10, 0.5)]
    [InlineData(0.3, 0.4)]
    [InlineData(0.5, 0.6)]
    [InlineData(1, 0.2)]
    [InlineData(1.5, 0.1)]
    public void MatchesImageNetCsDisk(double radius, double aliasBlur)
    {
        using var ours = DefocusKernel.Create(radius, aliasBlur);
        using var theirs = PyTorchReference.Call("imagenet_c/blur/disk", new Dictionary<string, Tensor> { ["images"] = zeros(1, 3, 1, 1) },
            new { radius, alias_blur = aliasBlur })["kernel"];
        Assert.Equal(theirs.shape, ours.shape);
        TensorAssert.CloseRelativeToMax(theirs, ours, 1e-6, $"disk r = {radius}, σ = {aliasBlur}");
    }

    [Fact]
    public void OpenCvGaussianTapsAreTheNormalisedGaussian()
    {
        var taps = DefocusKernel.GaussianTaps(3, 0.5);
        double side = Math.Exp(-1 / (2 * 0.25)), sum = 1 + 2 * side;
        Assert.Equal(3, taps.Length);
        Assert.True(Math.Abs(side / sum - taps[0]) < 1e-7 && Math.Abs(1 / sum - taps[1]) < 1e-7, $"{taps[0]}, {taps[1]}");
        Assert.Equal(taps[0], taps[2]);
        using var small = DefocusKernel.Create(0.3, 0.4);                 // only the centre lies within r = 0.3
        Assert.Equal(new long[] { 17, 17 }, small.shape);
        Assert.Equal(1.0, small.sum().item<float>(), 6);
    }
}
