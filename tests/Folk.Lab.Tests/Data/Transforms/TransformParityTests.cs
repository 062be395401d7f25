using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Transforms;

/// <summary>
/// The deterministic parts of the transforms against torchvision 0.14 (Debian's python3-torchvision, tensor path),
/// through reference/python/transforms_reference.py.
/// </summary>
public class TransformParityTests
{
    static Tensor Image(int h, int w, long seed = 21) => TestImages.Natural(1, Math.Max(h, w), seed)[0].narrow(1, 0, h).narrow(2, 0, w).contiguous();

    static Tensor Reference(string op, Tensor image, object parameters) =>
        PyTorchReference.Call(op, new Dictionary<string, Tensor> { ["image"] = image }, parameters)[op == "tv_rrc_fallback" ? "box" : "out"];

    // Bicubic resizing runs the same libtorch kernels on both sides (libtorch 2.10 here, 1.13 in Debian's PyTorch):
    // they agree to float32 rounding of a few accumulated taps. 1e-5 of the image range catches any change of
    // kernel, coefficient, antialiasing or alignment, which move pixels by 1e-2 or more.
    [TorchvisionTheory]
    [InlineData(40, 56, 24, 0, true)]     // shrink: antialiased
    [InlineData(30, 30, 21, 0, true)]
    [InlineData(20, 28, 45, 0, false)]    // enlarge: plain bicubic
    [InlineData(33, 47, 17, 61, true)]    // one side shrinks: antialiased
    public void ResizeMatchesTorchvisionBicubic(int h, int w, int size, int width, bool antialias)
    {
        using var x = Image(h, w);
        var resize = width == 0 ? new Resize(size) : new Resize(size, width);
        using var ours = resize.Apply(x, new Random(0));
        bool shrinks = ours.shape[1] < h || ours.shape[2] < w;
        Assert.Equal(antialias, shrinks);
        object sizeParam = width == 0 ? size : new[] { size, width };
        using var theirs = Reference("tv_resize", x, new { size = sizeParam, antialias });
        TensorAssert.CloseRelativeToMax(theirs, ours, 1e-5, $"resize {h}×{w} → {size}{(width == 0 ? "" : $"×{width}")}");
    }

    [TorchvisionTheory]
    [InlineData(50, 70, 5, 9, 30, 41, 24)]    // a box shrunk to 24: antialiased
    [InlineData(50, 70, 20, 3, 12, 17, 32)]   // a small box enlarged to 32
    public void ResizedCropOfAGivenBoxMatchesTorchvision(int h, int w, int top, int left, int height, int width, int size)
    {
        using var x = Image(h, w);
        var crop = new RandomResizedCrop(new RandomResizedCropOptions { Size = size });
        using var ours = crop.ResizedCrop(x, new CropBox(top, left, height, width));
        using var theirs = Reference("tv_resized_crop", x, new { top, left, height, width, size, antialias = height > size || width > size });
        TensorAssert.CloseRelativeToMax(theirs, ours, 1e-5, "resized crop");
    }

    [TorchvisionTheory]
    [InlineData(100, 400)]
    [InlineData(400, 100)]
    [InlineData(37, 300)]
    public void CropFallbackMatchesTorchvision(int h, int w)
    {
        // With scale (1, 1) no attempt fits an image this elongated, so torchvision's get_params is deterministic.
        var ours = new RandomResizedCrop(new RandomResizedCropOptions { Scale = (1.0, 1.0) }).SampleBox(h, w, new Random(0));
        using var none = zeros(1);
        using var box = PyTorchReference.Call("tv_rrc_fallback", new Dictionary<string, Tensor> { ["image"] = none },
            new { height = h, width = w, scale = new[] { 1.0, 1.0 }, ratio = new[] { 3.0 / 4, 4.0 / 3 } })["box"];
        Assert.Equal(new long[] { ours.Top, ours.Left, ours.Height, ours.Width }, box.data<long>().ToArray());
    }

    [TorchvisionTheory]
    [InlineData(9, 12, 4, 5)]
    [InlineData(10, 10, 3, 3)]
    [InlineData(7, 6, 10, 9)]     // larger than the image: zero padding
    public void CenterCropMatchesTorchvisionExactly(int h, int w, int height, int width)
    {
        using var x = Image(h, w);
        using var ours = new CenterCrop(height, width).Apply(x, new Random(0));
        using var theirs = Reference("tv_center_crop", x, new { size = new[] { height, width } });
        TensorAssert.Equal(theirs, ours, "center crop");
    }

    // Pure arithmetic on float32: both sides round each operation once; 1e-5 of the range allows a few ulps.
    [TorchvisionFact]
    public void NormalizeAndSolarizeMatchTorchvision()
    {
        using var x = Image(16, 20);
        using var n = new Normalize().Apply(x, new Random(0));
        using var tn = Reference("tv_normalize", x, new { mean = new[] { 0.485, 0.456, 0.406 }, std = new[] { 0.229, 0.224, 0.225 } });
        TensorAssert.CloseRelativeToMax(tn, n, 1e-5, "normalize");
        foreach (var threshold in new[] { 0.5, 0.3 })
        {
            using var s = Solarize.Solarized(x, threshold);
            using var ts = Reference("tv_solarize", x, new { threshold });
            TensorAssert.Equal(ts, s, $"solarize at {threshold}");
        }
    }

    // Colour adjustments: with torchvision's luma replaced by ITU-R 601-2 (the one documented difference, see
    // transforms_reference.py), the formulas agree to float32 rounding: 1e-5.
    [TorchvisionTheory]
    [InlineData("brightness", 0.6)]
    [InlineData("brightness", 1.4)]
    [InlineData("contrast", 0.6)]
    [InlineData("contrast", 1.4)]
    [InlineData("saturation", 0.0)]
    [InlineData("saturation", 1.2)]
    [InlineData("hue", 0.1)]
    [InlineData("hue", -0.1)]
    [InlineData("hue", 0.5)]
    public void ColorAdjustmentsMatchTorchvision(string kind, double factor)
    {
        using var x = Image(14, 18);
        using var ours = kind switch
        {
            "brightness" => ColorJitter.AdjustBrightness(x, factor),
            "contrast" => ColorJitter.AdjustContrast(x, factor),
            "saturation" => ColorJitter.AdjustSaturation(x, factor),
            _ => ColorJitter.AdjustHue(x, factor),
        };
        using var theirs = Reference("tv_adjust", x, new { kind, factor, luma = "itu" });
        TensorAssert.CloseRelativeToMax(theirs, ours, 1e-5, $"{kind} {factor}");
    }

    [TorchvisionFact]
    public void GrayscaleDiffersFromTorchvisionsTensorPathOnlyByItsRedCoefficient()
    {
        using var x = Image(14, 18);
        using var ours = new RandomGrayscale(1.0).Apply(x, new Random(0));
        using var itu = Reference("tv_grayscale", x, new { luma = "itu" });
        TensorAssert.CloseRelativeToMax(itu, ours, 1e-6, "ITU-R 601-2 luma");
        // Unchanged torchvision writes 0.2989 R: the difference is 1e-4 · R and nothing else, up to the float32
        // rounding of the two sums (~6e-8, under 1e-3 of the 1e-4 scale).
        using var tv = Reference("tv_grayscale", x, new { luma = "torchvision" });
        using var expected = 1e-4f * x[0];
        TensorAssert.CloseRelativeToMax(expected.expand(3, -1, -1), ours - tv, 1e-3, "0.299 − 0.2989 = 1e-4 of red");
    }

    // The Gaussian kernel is computed in double here and in float32 by torchvision; the blur is two 1-D passes here
    // and one 2-D pass there: float32 rounding, 1e-5.
    [TorchvisionTheory]
    [InlineData(0.1)]
    [InlineData(0.8)]
    [InlineData(2.0)]
    public void BlurMatchesTorchvisionWithTheSameKernelSize(double sigma)
    {
        using var x = Image(24, 30);
        using var ours = GaussianBlur.Blur(x, sigma);
        using var theirs = Reference("tv_gaussian_blur", x, new { kernel_size = GaussianBlur.KernelSize(sigma), sigma });
        TensorAssert.CloseRelativeToMax(theirs, ours, 1e-5, $"blur σ = {sigma}");
    }
}
