using Folk.Lab.Data;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

public class ColorTransformTests
{
    static Tensor Image(int h = 12, int w = 10, long seed = 5) => TestImages.Uniform(new long[] { 3, h, w }, seed);

    static Tensor Pixel(float r, float g, float b) => tensor(new[] { r, g, b }, new long[] { 3, 1, 1 });

    [Fact]
    public void GrayscaleIsTheItu601LumaInAllThreeChannels()
    {
        using var x = Image();
        using var gray = new RandomGrayscale(1.0).Apply(x, new Random(0));
        using var expected = 0.299f * x[0] + 0.587f * x[1] + 0.114f * x[2];
        for (int c = 0; c < 3; c++) TensorAssert.CloseRelativeToMax(expected, gray[c], 1e-6, $"channel {c}");
        using var pure = Pixel(1, 0, 0);
        using var red = RandomGrayscale.Luma(pure);
        Assert.Equal(0.299f, red.item<float>(), 6);
        using var kept = new RandomGrayscale(0.0).Apply(x, new Random(0));
        TensorAssert.Equal(x, kept, "p = 0");
    }

    [Fact]
    public void SolarizeInvertsValuesAtOrAboveTheThreshold()
    {
        using var x = tensor(new[] { 0f, 0.25f, 0.49f, 0.5f, 0.6f, 1f }, new long[] { 3, 1, 2 });
        using var y = new Solarize(p: 1.0).Apply(x, new Random(0));
        TensorAssert.Equal(tensor(new[] { 0f, 0.25f, 0.49f, 0.5f, 1 - 0.6f, 0f }, new long[] { 3, 1, 2 }), y, "solarized");
        // PIL's 8-bit threshold 128/255 selects the same pixels: 127/255 stays, 128/255 is inverted.
        using var eight = tensor(new[] { 127 / 255f, 128 / 255f, 0, 0, 0, 0 }, new long[] { 3, 1, 2 });
        using var s = Solarize.Solarized(eight);
        Assert.Equal(127 / 255f, s[0, 0, 0].item<float>());
        Assert.Equal(1 - 128 / 255f, s[0, 0, 1].item<float>(), 6);
    }

    [Fact]
    public void JitterWithFactorZeroAndUnitFactorsAreTheIdentity()
    {
        using var x = Image();
        var off = new ColorJitter(new ColorJitterOptions { Brightness = 0, Contrast = 0, Saturation = 0, Hue = 0 });
        using (var y = off.Apply(x, new Random(1))) TensorAssert.Equal(x, y, "all strengths 0");
        using (var y = ColorJitter.AdjustBrightness(x, 1)) TensorAssert.Equal(x, y, "brightness 1");
        using (var y = ColorJitter.AdjustContrast(x, 1)) TensorAssert.Equal(x, y, "contrast 1");
        using (var y = ColorJitter.AdjustSaturation(x, 1)) TensorAssert.Equal(x, y, "saturation 1");
        using (var y = ColorJitter.AdjustHue(x, 0)) TensorAssert.CloseRelativeToMax(x, y, 1e-6, "hue 0 (through HSV and back)");
    }

    [Fact]
    public void AdjustmentsFollowTheirFormulas()
    {
        using var x = Image();
        using (var y = ColorJitter.AdjustBrightness(x, 1.5))
        using (var e = (1.5f * x).clamp(0, 1)) TensorAssert.CloseRelativeToMax(e, y, 1e-6, "brightness");
        using (var y = ColorJitter.AdjustContrast(x, 0))
        using (var m = RandomGrayscale.Luma(x).mean())
            TensorAssert.CloseRelativeToMax(m.expand(3, 12, 10), y, 1e-6, "contrast 0 = mean luma everywhere");
        using (var y = ColorJitter.AdjustSaturation(x, 0))
        using (var g = new RandomGrayscale(1).Apply(x, new Random(0))) TensorAssert.CloseRelativeToMax(g, y, 1e-6, "saturation 0 = grayscale");

        // Hue turns: red → green at +1/3, red → blue at −1/3; a shift and its inverse cancel.
        using var red = Pixel(1, 0, 0);
        using (var g = ColorJitter.AdjustHue(red, 1 / 3.0)) TensorAssert.CloseRelativeToMax(Pixel(0, 1, 0), g, 1e-6, "red + 1/3");
        using (var b = ColorJitter.AdjustHue(red, -1 / 3.0)) TensorAssert.CloseRelativeToMax(Pixel(0, 0, 1), b, 1e-6, "red − 1/3");
        using var there = ColorJitter.AdjustHue(x, 0.2);
        using var back = ColorJitter.AdjustHue(there, -0.2);
        TensorAssert.CloseRelativeToMax(x, back, 1e-5, "hue +0.2 then −0.2");
        Assert.False(there.allclose(x, 1e-2, 1e-2), "a hue shift changes the image");
    }

    [Fact]
    public void JitterIsSeededAndRandomApplyHonoursItsProbability()
    {
        using var x = Image();
        var jitter = new ColorJitter();
        using var a = jitter.Apply(x, new Random(42));
        using var b = jitter.Apply(x, new Random(42));
        using var c = jitter.Apply(x, new Random(43));
        TensorAssert.Equal(a, b, "same seed");
        Assert.False(a.allclose(c, 0, 0));
        Assert.True(a.min().item<float>() >= 0 && a.max().item<float>() <= 1);

        var dino = RandomApply.DinoColorJitter;
        Assert.Equal(0.8, dino.Probability);
        var random = new Random(5);
        int changed = 0;
        for (int i = 0; i < 500; i++)
        {
            using var y = dino.Apply(x, random);
            if (!y.allclose(x, 0, 0)) changed++;
        }
        Assert.InRange(changed, 370, 430);                      // Binomial(500, 0.8): ±3.4 σ
    }

    [Fact]
    public void NormalizeUsesImageNetStatisticsByDefault()
    {
        using var x = Image();
        using var y = new Normalize().Apply(x, new Random(0));
        for (int c = 0; c < 3; c++)
        {
            using var e = (x[c] - ImageNetNormalization.Mean[c]) / ImageNetNormalization.Std[c];
            TensorAssert.CloseRelativeToMax(e, y[c], 1e-6, $"channel {c}");
        }
        Assert.Throws<ArgumentException>(() => new Normalize(new[] { 0.5, 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Normalize(std: new[] { 1.0, 0.0, 1.0 }));
    }

    [Fact]
    public void BlurIsANormalisedGaussianWithDinosSigmaRange()
    {
        Assert.Equal(3, GaussianBlur.KernelSize(0.1));
        Assert.Equal(13, GaussianBlur.KernelSize(2.0));
        using var impulse = zeros(3, 21, 21);
        impulse[.., 10, 10] = tensor(1f);
        using var response = GaussianBlur.Blur(impulse, 1.5);
        var taps = Enumerable.Range(-5, 11).Select(i => Math.Exp(-i * i / (2 * 1.5 * 1.5))).ToArray();   // 2⌈4.5⌉+1 = 11 taps
        double sum = taps.Sum();
        for (int dy = -5; dy <= 5; dy++)
            Assert.Equal(taps[dy + 5] * taps[5] / (sum * sum), response[1, 10 + dy, 10].item<float>(), 6);
        Assert.Equal(0f, response[1, 10, 16].item<float>());                 // beyond the 5-pixel radius
        Assert.Equal(1f, response.sum().item<float>() / 3, 5);

        using var flat = full(3, 8, 8, 0.4f);
        using var blurred = GaussianBlur.Blur(flat, 2.0);                   // radius cut to 7 on an 8-pixel image
        Assert.True((blurred - 0.4f).abs().max().item<float>() < 1e-6);

        var blur = new GaussianBlur(p: 1.0);
        using var x = Image();
        using var a = blur.Apply(x, new Random(9));
        using var b = blur.Apply(x, new Random(9));
        TensorAssert.Equal(a, b, "same seed, same σ");
        using var none = new GaussianBlur(p: 0).Apply(x, new Random(9));
        TensorAssert.Equal(x, none, "p = 0");
    }

    [Fact]
    public void BadArgumentsNameTheParameter()
    {
        Assert.Equal("p", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomHorizontalFlip(1.5)).ParamName);
        Assert.Equal("Hue", Assert.Throws<ArgumentOutOfRangeException>(() => new ColorJitter(new ColorJitterOptions { Hue = 0.7 })).ParamName);
        Assert.Equal("Scale", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomResizedCrop(new RandomResizedCropOptions { Scale = (0.5, 0.2) })).ParamName);
        using var gray = zeros(1, 8, 8);
        var e = Assert.Throws<ArgumentException>(() => new Solarize().Apply(gray, new Random(0)));
        Assert.Contains("must be one 3×H×W image; got shape [1×8×8]", e.Message);
    }

    [Fact]
    public void TransformsLeakNoTensors()
    {
        using var x = Image(40, 48);
        var pipeline = new Compose(
            new RandomResizedCrop(new RandomResizedCropOptions { Size = 32 }), new RandomHorizontalFlip(),
            new RandomApply(new ColorJitter(), 1.0), new RandomGrayscale(0.5), new GaussianBlur(1.0), new Solarize(1.0),
            new Resize(24), new CenterCrop(20), new Normalize());
        var random = new Random(0);
        using (var first = pipeline.Apply(x, random)) Assert.Equal(new long[] { 3, 20, 20 }, first.shape);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++)
        {
            using var y = pipeline.Apply(x, random);
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
