using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

public class RandomErasingTests
{
    [Fact]
    public void DefaultsAreMfmsFineTuningRecipe()
    {
        var o = new RandomErasingOptions();
        Assert.Equal((0.25, RandomErasingMode.PerPixel, (1, 1)), (o.Probability, o.Mode, o.Count));
        Assert.Equal((0.02, 1 / 3.0), o.Area);
        Assert.Equal((0.3, 1 / 0.3), o.Aspect);
    }

    [Fact]
    public void BoxesRespectAreaAndAspectBoundsOverManyDraws()
    {
        const int h = 224, w = 224, n = 20_000;
        var erasing = new RandomErasing(new RandomErasingOptions { Probability = 1 });
        var random = new Random(17);
        var boxes = Enumerable.Range(0, n).Select(_ => erasing.SampleBoxes(h, w, random)).ToArray();
        Assert.All(boxes, b => Assert.Single(b));
        var all = boxes.Select(b => b[0]).ToArray();
        Assert.All(all, b => Assert.True(b.Top >= 0 && b.Left >= 0 && b.Height < h && b.Width < w && b.Top + b.Height <= h && b.Left + b.Width <= w, $"{b}"));
        // Sides are rounded to whole pixels; the smallest side is √(0.02 · 224² · 0.3) ≈ 17 px, so rounding moves each
        // side by at most 0.5 / 17 ≈ 3 %, the area by at most ~6 %.
        var areas = all.Select(b => (double)b.Height * b.Width / (h * w)).ToArray();
        var aspects = all.Select(b => (double)b.Height / b.Width).ToArray();
        Assert.InRange(areas.Min(), 0.02 * 0.94, 0.021);
        Assert.InRange(areas.Max(), 0.32, 1 / 3.0 * 1.06);
        Assert.InRange(aspects.Min(), 0.3 * 0.94, 0.31);
        Assert.InRange(aspects.Max(), 3.2, 1 / 0.3 * 1.06);
        // The log-aspect is uniform on [log 0.3, log 1/0.3] (sd 0.695); on a square image the boxes too tall and too
        // wide to fit are redrawn alike, so its mean stays 0, within 4 standard errors.
        Assert.InRange(aspects.Select(a => Math.Log(a)).Average(), -4 * 0.695 / Math.Sqrt(n), 4 * 0.695 / Math.Sqrt(n));
        // Positions are uniform: the boxes' centres average to the image centre.
        Assert.InRange(all.Average(b => b.Top + b.Height / 2.0), h / 2.0 - 1.5, h / 2.0 + 1.5);
        Assert.InRange(all.Average(b => b.Left + b.Width / 2.0), w / 2.0 - 1.5, w / 2.0 + 1.5);
    }

    [Fact]
    public void AboutAQuarterOfTheImagesAreErased()
    {
        const int n = 8_000;
        var erasing = new RandomErasing();
        var random = new Random(23);
        int erased = Enumerable.Range(0, n).Count(_ => erasing.SampleBoxes(224, 224, random).Count > 0);
        double sigma = Math.Sqrt(0.25 * 0.75 / n);                               // binomial standard error
        Assert.InRange(erased / (double)n, 0.25 - 4 * sigma, 0.25 + 4 * sigma);
        Assert.Empty(new RandomErasing(new RandomErasingOptions { Probability = 0 }).SampleBoxes(224, 224, random));
    }

    [Fact]
    public void OnlyTheBoxChangesAndItHoldsStandardNormalNoise()
    {
        // A normalised image (values well outside [0,1]), as timm erases after Normalize.
        using var raw = TestImages.Natural(1, 64, 3);
        using var image = new Normalize().Apply(raw[0], new Random(0));
        var erasing = new RandomErasing(new RandomErasingOptions { Probability = 1 });
        var boxes = erasing.SampleBoxes(64, 64, new Random(5));
        var box = Assert.Single(boxes);
        using var erased = erasing.Erase(image, boxes, new Random(6));

        using var inside = zeros(new long[] { 64, 64 }, ScalarType.Bool);
        inside.narrow(0, box.Top, box.Height).narrow(1, box.Left, box.Width).fill_(true);
        using var outside = inside.logical_not().expand(3, -1, -1);
        using var kept = erased.masked_select(outside);
        using var original = image.masked_select(outside);
        TensorAssert.Equal(original, kept, "pixels outside the box");
        using var noise = erased.narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
        double mean = noise.mean().item<float>(), std = noise.std().item<float>();
        double n = noise.numel();
        Assert.InRange(mean, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        Assert.InRange(std, 1 - 4 / Math.Sqrt(2 * n), 1 + 4 / Math.Sqrt(2 * n));
        // Apply is SampleBoxes then Erase from the same generator; the image itself is untouched.
        using var applied = erasing.Apply(image, new Random(5));
        using var again = erasing.Apply(image, new Random(5));
        TensorAssert.Equal(applied, again, "seeded");
        using var fresh = new Normalize().Apply(raw[0], new Random(0));
        TensorAssert.Equal(fresh, image, "input not modified");
    }

    [Fact]
    public void ConstantAndPerChannelModesAndSeveralBoxes()
    {
        using var image = TestImages.Normal(new long[] { 3, 40, 50 });
        var box = new[] { new CropBox(5, 6, 10, 12) };
        using var constant = new RandomErasing(new RandomErasingOptions { Mode = RandomErasingMode.Constant }).Erase(image, box, new Random(1));
        Assert.Equal(0, constant.narrow(1, 5, 10).narrow(2, 6, 12).abs().max().item<float>());
        using var channel = new RandomErasing(new RandomErasingOptions { Mode = RandomErasingMode.PerChannel }).Erase(image, box, new Random(1));
        using var patch = channel.narrow(1, 5, 10).narrow(2, 6, 12);
        for (int c = 0; c < 3; c++) Assert.Equal(1, patch[c].unique().Item1.numel());

        // Several boxes: each gets area / count, so the boxes are smaller on average.
        var multi = new RandomErasing(new RandomErasingOptions { Probability = 1, Count = (2, 3) });
        var random = new Random(2);
        var draws = Enumerable.Range(0, 2_000).Select(_ => multi.SampleBoxes(224, 224, random)).ToArray();
        Assert.All(draws, d => Assert.InRange(d.Count, 2, 3));
        Assert.InRange(draws.Count(d => d.Count == 2) / 2000.0, 0.5 - 4 * Math.Sqrt(0.25 / 2000), 0.5 + 4 * Math.Sqrt(0.25 / 2000));
        Assert.All(draws.SelectMany(d => d.Select(b => (double)b.Height * b.Width / (224 * 224) * d.Count)), a => Assert.InRange(a, 0.02 * 0.9, 1 / 3.0 * 1.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(new RandomErasingOptions { Count = (0, 1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing().Erase(image, new[] { new CropBox(35, 0, 10, 10) }, new Random(0)));
    }
}
