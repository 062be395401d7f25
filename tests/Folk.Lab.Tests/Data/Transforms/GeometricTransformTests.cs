using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

public class GeometricTransformTests
{
    /// <summary>A 3×H×W image whose every pixel is distinct and in [0,1]: crops and flips can be located exactly.</summary>
    static Tensor Ramp(int h, int w)
    {
        using var values = arange(3 * h * w, dtype: ScalarType.Float32);
        using var shaped = values.view(3, h, w);
        return shaped / (3 * h * w);
    }

    [Fact]
    public void CropBoxesRespectScaleAndRatioBoundsOverManyDraws()
    {
        var crop = new RandomResizedCrop(RandomResizedCropOptions.Mfm);
        const int h = 300, w = 400;
        var random = new Random(7);
        var boxes = Enumerable.Range(0, 20_000).Select(_ => crop.SampleBox(h, w, random)).ToArray();

        Assert.All(boxes, b => Assert.True(b.Top >= 0 && b.Left >= 0 && b.Top + b.Height <= h && b.Left + b.Width <= w, $"{b} outside the image"));
        // Sides are rounded to whole pixels, which moves area and ratio by at most ~1 px per side.
        var areas = boxes.Select(b => (double)b.Height * b.Width / (h * w)).ToArray();
        var ratios = boxes.Select(b => (double)b.Width / b.Height).ToArray();
        Assert.True(areas.Min() >= 0.2 * (1 - 0.01), $"smallest area fraction {areas.Min()}");
        Assert.True(areas.Max() <= 1.0);
        Assert.True(ratios.Min() >= 0.75 * (1 - 0.01) && ratios.Max() <= 4.0 / 3 * (1 + 0.01), $"ratios in [{ratios.Min()}, {ratios.Max()}]");
        // The bounds are reached, not just respected: the draws cover the whole ranges.
        Assert.True(areas.Min() < 0.21 && areas.Max() > 0.97, $"area fractions cover [{areas.Min()}, {areas.Max()}]");
        Assert.True(ratios.Min() < 0.76 && ratios.Max() > 1.31);
        // log-ratio is uniform: on a square image (where rejection favours neither orientation) its mean is the
        // middle of [log 3/4, log 4/3], i.e. 0; on this 4:3 image tall boxes are rejected more often.
        var square = Enumerable.Range(0, 20_000).Select(_ => crop.SampleBox(300, 300, random)).Select(b => Math.Log((double)b.Width / b.Height)).ToArray();
        Assert.True(Math.Abs(square.Average()) < 0.005, $"mean log-ratio on a square image {square.Average()}");
        Assert.True(ratios.Select(r => Math.Log(r)).Average() > 0.01, "wide image: wide boxes fit more often");
        // Positions are uniform: the mean centre of the boxes is the image centre.
        Assert.True(Math.Abs(boxes.Average(b => b.Top + b.Height / 2.0) - h / 2.0) < 3 && Math.Abs(boxes.Average(b => b.Left + b.Width / 2.0) - w / 2.0) < 3);
    }

    [Fact]
    public void WhenNoAttemptFitsTheFallbackIsTheCentreCropWithClampedRatio()
    {
        var crop = new RandomResizedCrop(new RandomResizedCropOptions { Scale = (1.0, 1.0) });
        // A 100×400 image (ratio 4) cannot hold a whole-area box of ratio <= 4/3: 10 attempts fail.
        Assert.Equal(new CropBox(0, 133, 100, 133), crop.SampleBox(100, 400, new Random(1)));
        Assert.Equal(new CropBox(133, 0, 133, 100), crop.SampleBox(400, 100, new Random(1)));   // 100 / 0.75 = 133.3
        Assert.Equal(new CropBox(0, 0, 50, 60), crop.SampleBox(50, 60, new Random(1)));          // ratio within bounds: whole image
    }

    [Fact]
    public void RandomResizedCropIsSeededAndStaysInTheUnitRange()
    {
        using var image = TestImages.Natural(1, 96)[0];
        var crop = new RandomResizedCrop(new RandomResizedCropOptions { Size = 64 });
        using var a = crop.Apply(image, new Random(3));
        using var b = crop.Apply(image, new Random(3));
        using var c = crop.Apply(image, new Random(4));
        Assert.Equal(new long[] { 3, 64, 64 }, a.shape);
        TensorAssert.Equal(a, b, "same seed");
        Assert.False(a.allclose(c, 0, 0), "another seed gives another crop");
        Assert.True(a.min().item<float>() >= 0 && a.max().item<float>() <= 1);

        // The whole image as the box, at its own size: bicubic at unit scale reproduces the input.
        using var ramp = Ramp(64, 64);
        using var same = crop.ResizedCrop(ramp, new CropBox(0, 0, 64, 64));
        TensorAssert.Equal(ramp, same, "identity resize");
        Assert.Throws<ArgumentOutOfRangeException>(() => crop.ResizedCrop(ramp, new CropBox(10, 0, 60, 10)));
    }

    [Fact]
    public void FlipMirrorsColumnsExactlyWithTheGivenProbability()
    {
        using var image = Ramp(5, 7);
        using var flipped = new RandomHorizontalFlip(1.0).Apply(image, new Random(0));
        for (int x = 0; x < 7; x++) TensorAssert.Equal(image[.., .., x], flipped[.., .., 6 - x], $"column {x}");
        using var kept = new RandomHorizontalFlip(0.0).Apply(image, new Random(0));
        TensorAssert.Equal(image, kept, "p = 0");

        var half = new RandomHorizontalFlip();
        var random = new Random(11);
        int count = 0;
        for (int i = 0; i < 2000; i++)
        {
            using var y = half.Apply(image, random);
            if (!y.allclose(image, 0, 0)) count++;
        }
        Assert.InRange(count, 900, 1100);                    // Binomial(2000, 0.5): ±4.5 σ
    }

    [Fact]
    public void ResizeKeepsTheAspectRatioAsTorchvisionRoundsIt()
    {
        Assert.Equal((256, 341), Resize.OutputSize(480, 640, 256));     // 640 · 256 / 480 = 341.33, truncated
        Assert.Equal((341, 256), Resize.OutputSize(640, 480, 256));
        Assert.Equal((256, 256), Resize.OutputSize(500, 500, 256));
        Assert.Equal((224, 298), Resize.OutputSize(375, 500, 224));     // 298.67, truncated

        using var image = TestImages.Natural(1, 48)[0];
        using var wide = image.narrow(1, 0, 30);                          // 30×48
        using var down = new Resize(20).Apply(wide, new Random(0));
        Assert.Equal(new long[] { 3, 20, 32 }, down.shape);
        using var exact = new Resize(17, 60).Apply(wide, new Random(0));
        Assert.Equal(new long[] { 3, 17, 60 }, exact.shape);
        Assert.True(exact.min().item<float>() >= 0 && exact.max().item<float>() <= 1, "bicubic overshoot is clamped");
        using var flat = full(3, 10, 10, 0.3f);
        using var up = new Resize(37).Apply(flat, new Random(0));
        Assert.True((up - 0.3f).abs().max().item<float>() < 1e-6, "a constant image stays constant");
    }

    [Fact]
    public void CenterCropTakesTheMiddleRoundingHalvesToEvenAndPadsSmallImages()
    {
        using var image = Ramp(5, 8);
        using var c = new CenterCrop(2, 3).Apply(image, new Random(0));
        // top = round(1.5) = 2, left = round(2.5) = 2 (Python rounds halves to even).
        TensorAssert.Equal(image[.., 2..4, 2..5], c, "centre crop");

        using var small = Ramp(2, 2);
        using var padded = new CenterCrop(4).Apply(small, new Random(0));
        Assert.Equal(new long[] { 3, 4, 4 }, padded.shape);
        TensorAssert.Equal(small, padded[.., 1..3, 1..3], "image in the middle");
        Assert.Equal(0f, padded[.., 0, ..].abs().sum().item<float>() + padded[.., .., 3].abs().sum().item<float>());
    }
}
