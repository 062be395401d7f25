using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>Pixelate's and JPEG's building blocks: Pillow's BOX resize and the JPEG round trip.</summary>
public class BoxResizeAndJpegTests
{
    [Theory]
    [InlineData(224, 134)]
    [InlineData(224, 89)]
    [InlineData(224, 67)]
    [InlineData(32, 30)]
    [InlineData(32, 27)]
    [InlineData(32, 20)]
    public void DownscalingGivesEveryInputPixelToExactlyOneOutputPixelWithEqualWeights(int n, int m)
    {
        var w = BoxResize.Weights(n, m);
        for (int j = 0; j < n; j++)                       // Pillow: "each pixel of source image contributes to one pixel"
            Assert.Equal(1, Enumerable.Range(0, m).Count(i => w[i, j] != 0));
        for (int i = 0; i < m; i++)
        {
            var row = Enumerable.Range(0, n).Select(j => w[i, j]).Where(v => v != 0).ToArray();
            Assert.Equal(1.0, row.Sum(), 12);
            Assert.All(row, v => Assert.Equal(row[0], v));
            // the pixels are those whose centres lie in the output pixel's footprint [i·s, (i + 1)·s)
            double s = (double)n / m;
            foreach (var j in Enumerable.Range(0, n).Where(j => w[i, j] != 0))
                Assert.InRange(j + 0.5, i * s - 1e-9, (i + 1) * s + 1e-9);
        }
    }

    [Theory]
    [InlineData(134, 224)]
    [InlineData(20, 32)]
    public void UpscalingIsNearestNeighbour(int n, int m)
    {
        var w = BoxResize.Weights(n, m);
        for (int i = 0; i < m; i++)
        {
            int source = (int)Math.Floor((i + 0.5) * n / m);
            Assert.Equal(1.0, w[i, source]);
            Assert.Equal(1.0, Enumerable.Range(0, n).Sum(j => w[i, j]));
        }
    }

    [ImageNetCReferenceFact]
    public void BoxResizeMatchesPillowOnFloatImagesInBothDirectionsAndOnNonSquareSizes()
    {
        using var x = TestImages.Uniform(new long[] { 2, 3, 37, 29 }, seed: 8);
        foreach (var (h, w) in new[] { (13, 11), (37, 7), (50, 64), (5, 29) })
        {
            using var ours = BoxResize.Apply(x, h, w);
            var reference = PyTorchReference.Call("imagenet_c/filters/box_resize", new Dictionary<string, Tensor> { ["images"] = x }, new { height = h, width = w });
            TensorAssert.CloseRelativeToMax(reference["out"], ours, 1.2e-7, $"BOX 37×29 → {h}×{w}");
        }
    }

    [Fact]
    public void JpegRoundTripKeepsGreyImagesAtHighQualityAndDropsDetailAtLowQuality()
    {
        // grey images: 4:2:0 chroma subsampling alone moves sharp colour edges by many levels, even at quality 100
        using var x = TestImages.Natural(2, 64, seed: 9);
        using var eightBit = (x.mean(new long[] { 1 }, keepdim: true).expand(2, 3, 64, 64) * 255).round_().div_(255);
        using var high = JpegRoundTrip.Apply(eightBit, 100);
        using var low = JpegRoundTrip.Apply(eightBit, 7);
        double Error(Tensor y) { using var d = (y - eightBit).abs(); return d.mean().item<float>(); }
        Assert.True(Error(high) < 1.0 / 255, $"quality 100: mean error {Error(high) * 255:F2} levels");
        Assert.True(Error(low) > 3 * Error(high), $"quality 7 ({Error(low) * 255:F2} levels) should lose more than quality 100 ({Error(high) * 255:F2})");
        using var levels = low * 255;
        TensorAssert.Equal(levels.round(), levels, "the decoded image is 8-bit");
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegRoundTrip.Apply(eightBit, 0));
    }

    public static TheoryData<int, int> QualitiesAndSides()
    {
        var data = new TheoryData<int, int>();
        foreach (var side in new[] { 224, 32 })
            for (int s = 1; s <= 5; s++) data.Add(s, side);
        return data;
    }

    [ImageNetCReferenceTheory]
    [MemberData(nameof(QualitiesAndSides))]
    public void JpegMatchesPillowAtThePublishedQualities(int severity, int side)
    {
        using var x = TestImages.Natural(4, side, seed: severity);
        using var eightBit = (x * 255).round_().div_(255);
        var table = side == 224 ? CorruptionConstants.ImageNet224 : CorruptionConstants.Cifar32;
        using var ours = JpegRoundTrip.Apply(eightBit, DigitalCorruptions.JpegQuality[severity, table]);
        var reference = PyTorchReference.Call("imagenet_c/digital/jpeg_compression", new Dictionary<string, Tensor> { ["images"] = eightBit }, new { severity });
        // the same libjpeg-turbo settings on both sides (IJG quality tables clamped to baseline, 4:2:0, integer DCT,
        // smooth upsampling): every 8-bit level is expected to agree
        using var levels = ((ours - reference["out"]) * 255).abs().round();
        long differing = levels.gt(0).sum().item<long>();
        Assert.True(differing == 0,
            $"jpeg_compression s{severity} at {side}²: {differing} of {levels.numel()} values differ from Pillow's, by up to {levels.max().item<float>()} levels");
    }
}
