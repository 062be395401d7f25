using Folk.Lab.Data;
using Folk.Lab.Data.Segmentation;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Segmentation;

public class SegmentationTransformTests
{
    /// <summary>An image whose channels 0 and 1 hold each pixel's column and row (/100), so a crop or flip can be read back.</summary>
    static Tensor Coordinates(int h, int w)
    {
        var x = arange(w, dtype: ScalarType.Float32).div(100).view(1, 1, w).expand(1, h, w);
        var y = arange(h, dtype: ScalarType.Float32).div(100).view(1, h, 1).expand(1, h, w);
        return cat(new[] { x, y, zeros(1, h, w) }, 0).contiguous();
    }

    [Fact]
    public void ResizeKeepsTheRatioInsideTheBoxAsMmcvRescaleRoundsIt()
    {
        // ADE20K 683×512 (w×h) into (2048, 512): f = min(2048/683, 512/512) = 1; with ratio 0.5 the box is (1024, 256):
        // f = min(1024/683, 256/512) = 0.5, sides int(512·0.5 + 0.5) = 256 and int(683·0.5 + 0.5) = 342.
        Assert.Equal((512, 683), SegmentationResize.OutputSize(512, 683, 2048, 512));
        Assert.Equal((256, 342), SegmentationResize.OutputSize(512, 683, 1024, 256));
        // a tall 300-wide image: f = min(2048/1000, 512/300) = 1.7067, sides int(1706.67 + 0.5) = 1707 and 512
        Assert.Equal((1707, 512), SegmentationResize.OutputSize(1000, 300, 2048, 512));
        // a very long image is held by the long side: f = min(2048/5000, 512/500) = 0.4096
        Assert.Equal((205, 2048), SegmentationResize.OutputSize(500, 5000, 2048, 512));
    }

    [Fact]
    public void TheRatioComesFromTheSamplesRandomAndMasksResizeByNearestNeighbour()
    {
        using var image = Coordinates(20, 30);
        using var mask = arange(600, dtype: ScalarType.Int64).view(20, 30).remainder(7);
        var resize = new SegmentationResize((80, 20), (0.5, 2.0));
        for (int seed = 0; seed < 5; seed++)
        {
            double ratio = new Random(seed).NextDouble() * 1.5 + 0.5;
            var (h, w) = SegmentationResize.OutputSize(20, 30, (int)(80 * ratio), (int)(20 * ratio));
            using var result = resize.Apply(new SegmentedImage(image, mask), new Random(seed));
            Assert.Equal(new long[] { 3, h, w }, result.Image.shape);
            Assert.Equal(new long[] { h, w }, result.Mask.shape);
            Assert.True(result.Mask.ge(0).all().item<bool>() && result.Mask.lt(7).all().item<bool>(), "nearest neighbour makes no new labels");
        }
    }

    [Fact]
    public void MasksResizeByNearestNeighbourTakingPixelFloorOfDestinationTimesScale()
    {
        using var mask = tensor(new long[] { 0, 1, 2, 3, 4, 5 }, new long[] { 2, 3 });
        using var doubled = SegmentationResize.ResizeMask(mask, 4, 6);
        Assert.Equal(new long[] { 0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5 }, doubled.data<long>().ToArray());
        using var halved = SegmentationResize.ResizeMask(doubled, 2, 3);
        TensorAssert.Equal(mask, halved, "⌊dst · 2⌋ picks the top-left pixel of each 2×2 block");
        // the image is resampled bilinearly with half-pixel centres: a 1×2 ramp [0, 1] at 1×4 gives [0, 0.25, 0.75, 1]
        using var ramp = tensor(new float[] { 0, 1 }, new long[] { 1, 1, 2 });
        using var wide = SegmentationResize.ResizeImage(ramp, 1, 4);
        Assert.Equal(new[] { 0f, 0.25f, 0.75f, 1f }, wide.data<float>().ToArray());
    }

    [Fact]
    public void TheCropRedrawsWindowsDominatedByOneClassAndCutsImageAndMaskAlike()
    {
        // 8×8: columns 0–3 class 0, 4–7 class 1, the bottom row ignored. A 4×4 window at column x holds both classes
        // only for x in 1…3, and one class under 75 % only for x = 2 (2 and 2 columns); x = 1 and 3 are 3 : 1 (exactly 75 %).
        using var image = Coordinates(8, 8);
        using var mask = arange(8, dtype: ScalarType.Int64).ge(4).to(ScalarType.Int64).view(1, 8).expand(8, 8).contiguous();
        mask[7] = full(8, SegmentationLabels.Ignore, dtype: ScalarType.Int64);
        var crop = new SegmentationRandomCrop(4, 4, 0.75);
        for (int seed = 0; seed < 20; seed++)
        {
            // the reference procedure, restated: draw (y, x) uniformly in [0, 4]², redraw up to ten times while unbalanced
            var random = new Random(seed);
            (int Y, int X) Draw() => (random.Next(0, 5), random.Next(0, 5));
            var window = Draw();
            for (int attempt = 0; attempt < 10 && window.X != 2; attempt++) window = Draw();
            using var result = crop.Apply(new SegmentedImage(image, mask), new Random(seed));
            Assert.Equal(window.X / 100f, result.Image[0, 0, 0].item<float>(), 6);
            Assert.Equal(window.Y / 100f, result.Image[1, 0, 0].item<float>(), 6);
            using var expected = mask.narrow(0, window.Y, 4).narrow(1, window.X, 4);
            TensorAssert.Equal(expected, result.Mask, $"seed {seed}");
        }
        // an image smaller than the window is kept whole
        using var small = crop.Apply(new SegmentedImage(image.narrow(1, 0, 3).narrow(2, 0, 2), mask.narrow(0, 0, 3).narrow(1, 0, 2)), new Random(0));
        Assert.Equal(new long[] { 3, 2 }, small.Mask.shape);
    }

    [Fact]
    public void IgnoredPixelsDoNotCountAsAClass()
    {
        // one class and the ignore label everywhere: no window ever holds two classes, so all eleven windows are drawn
        using var image = Coordinates(6, 6);
        using var mask = where(arange(36, dtype: ScalarType.Int64).view(6, 6).remainder(2).eq(0), tensor(3L), tensor(SegmentationLabels.Ignore));
        var random = new Random(4);
        int[] last = { 0, 0 };
        for (int i = 0; i < 11; i++) last = new[] { random.Next(0, 3), random.Next(0, 3) };
        using var result = new SegmentationRandomCrop(4, 4, 0.75).Apply(new SegmentedImage(image, mask), new Random(4));
        Assert.Equal(last[1] / 100f, result.Image[0, 0, 0].item<float>(), 6);
        Assert.Equal(last[0] / 100f, result.Image[1, 0, 0].item<float>(), 6);
    }

    [Fact]
    public void PaddingFillsTheImageWithZeroAndTheMaskWithTheIgnoreLabelAtBottomAndRight()
    {
        using var image = ones(3, 2, 3);
        using var mask = zeros(new long[] { 2, 3 }, dtype: ScalarType.Int64);
        using var padded = new SegmentationPad(4, 5).Apply(new SegmentedImage(image, mask), new Random(0));
        Assert.Equal(new long[] { 3, 4, 5 }, padded.Image.shape);
        Assert.Equal(6 * 3, padded.Image.sum().item<float>());
        Assert.Equal(1f, padded.Image[2, 1, 2].item<float>());
        Assert.Equal(0f, padded.Image[2, 2, 2].item<float>());
        Assert.Equal(0L, padded.Mask[1, 2].item<long>());
        Assert.Equal(SegmentationLabels.Ignore, padded.Mask[3, 0].item<long>());
        Assert.Equal(SegmentationLabels.Ignore, padded.Mask[0, 4].item<long>());
        Assert.Equal(20 - 6, padded.Mask.eq(SegmentationLabels.Ignore).sum().item<long>());
        Assert.Throws<ArgumentException>(() => new SegmentationPad(1, 5).Apply(new SegmentedImage(image, mask), new Random(0)));
    }

    [Fact]
    public void FlipMirrorsImageAndMaskTogether()
    {
        using var image = Coordinates(2, 3);
        using var mask = tensor(new long[] { 0, 1, 2, 3, 4, 5 }, new long[] { 2, 3 });
        using var flipped = new SegmentationFlip(1).Apply(new SegmentedImage(image, mask), new Random(0));
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, flipped.Mask.data<long>().ToArray());
        Assert.Equal(0.02f, flipped.Image[0, 0, 0].item<float>(), 6);
        using var kept = new SegmentationFlip(0).Apply(new SegmentedImage(image, mask), new Random(0));
        TensorAssert.Equal(mask, kept.Mask, "p = 0");
    }

    [Fact]
    public void PhotometricDistortionOfAGreyImageIsItsBrightnessAndContrastSteps()
    {
        // On a grey image saturation and hue change nothing (S = 0), so the result is the reference's brightness and
        // contrast arithmetic on 8-bit levels, with the random draws in the reference's order.
        var levels = new[] { 0, 17, 64, 128, 200, 255 };
        using var image = tensor(levels.Select(v => v / 255f).ToArray(), new long[] { 1, 1, 6 }).expand(3, 1, 6).contiguous();
        var distortion = new PhotoMetricDistortion();
        int changed = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var expected = levels.Select(v => (float)v).ToArray();
            void Convert(double alpha, double beta)
            {
                for (int i = 0; i < expected.Length; i++) expected[i] = (byte)Math.Clamp(expected[i] * (float)alpha + (float)beta, 0f, 255f);
            }
            void Contrast() { if (random.Next(2) == 1) Convert(random.NextDouble() + 0.5, 0); }
            if (random.Next(2) == 1) Convert(1, random.NextDouble() * 64 - 32);
            int mode = random.Next(2);
            if (mode == 1) Contrast();
            if (random.Next(2) == 1) random.NextDouble();                   // saturation factor
            if (random.Next(2) == 1) random.Next(-18, 18);                  // hue shift
            if (mode == 0) Contrast();

            using var result = distortion.Apply(image, new Random(seed));
            var actual = result[0, 0].data<float>().ToArray().Select(v => v * 255f).ToArray();
            for (int i = 0; i < levels.Length; i++) Assert.Equal(expected[i], actual[i], 3);
            TensorAssert.Equal(result[0], result[2], "still grey");
            if (!expected.SequenceEqual(levels.Select(v => (float)v))) changed++;
        }
        Assert.InRange(changed, 20, 40);                                       // brightness alone applies to half the images
    }

    [Fact]
    public void HueAndSaturationRoundTripThroughOpenCvsEightBitHsvWithinItsQuantisation()
    {
        // With neutral factors (saturation × 1, hue + 0) a colour goes to 8-bit HSV and back. OpenCV's 8-bit hue has
        // 2° steps: rounding moves it by ≤ 1°, 1/60 of a sector, which moves a channel by ≤ V·S/60 ≤ 4.25 levels; S's
        // rounding adds ≤ ½ level. A wrong sector table would be off by up to 255.
        var neutral = new PhotoMetricDistortion(new PhotoMetricDistortionOptions { BrightnessDelta = 0, ContrastRange = (1, 1), SaturationRange = (1, 1), HueDelta = 0 });
        using var colours = TestImages.Uniform(new long[] { 3, 16, 16 }, seed: 9);
        using var eightBit = colours.mul(255).round().div(255);
        int roundTrips = 0;
        for (int seed = 0; seed < 8; seed++)
        {
            using var result = neutral.Apply(colours, new Random(seed));
            using var error = (result - eightBit).abs().mul(255);
            Assert.True(error.max().item<float>() <= 5.01f, $"seed {seed}: {error.max().item<float>()} levels");
            Assert.True(error.mean().item<float>() <= 1.5f, $"seed {seed}: mean {error.mean().item<float>()} levels");
            if (error.max().item<float>() > 0.5f) roundTrips++;
        }
        Assert.InRange(roundTrips, 1, 8);                                        // some seeds did go through HSV
    }
}
