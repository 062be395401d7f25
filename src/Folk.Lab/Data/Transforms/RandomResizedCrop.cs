using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Options of <see cref="RandomResizedCrop"/>.</summary>
/// <remarks>Defaults: torchvision's <c>RandomResizedCrop(224)</c>, scale (0.08, 1), ratio (3/4, 4/3), bicubic as in
/// MFM (config.py: <c>_C.DATA.INTERPOLATION = 'bicubic'</c>). The recipes: <see cref="Mfm"/>, <see cref="DinoGlobal"/>,
/// <see cref="DinoLocal"/>.</remarks>
public sealed record RandomResizedCropOptions
{
    /// <summary>Output side in pixels (MFM config.py: <c>_C.DATA.IMG_SIZE = 224</c>).</summary>
    public int Size { get; init; } = 224;

    /// <summary>Range of the crop's area as a fraction of the image's (torchvision default (0.08, 1.0)).</summary>
    public (double Min, double Max) Scale { get; init; } = (0.08, 1.0);

    /// <summary>Range of the crop's aspect ratio width / height, sampled log-uniformly (torchvision default (3/4, 4/3)).</summary>
    public (double Min, double Max) Ratio { get; init; } = (3.0 / 4.0, 4.0 / 3.0);

    /// <summary>MFM's pre-training crop: scale (0.2, 1) (MFM config.py <c>_C.DATA.MIN_CROP_SCALE = 0.2</c>, data/data_mfm.py).</summary>
    public static RandomResizedCropOptions Mfm => new() { Scale = (0.2, 1.0) };

    /// <summary>DINO's global crops: 224 px, scale (0.4, 1) (DINO main_dino.py <c>--global_crops_scale</c> default).</summary>
    public static RandomResizedCropOptions DinoGlobal => new() { Scale = (0.4, 1.0) };

    /// <summary>DINO's local crops: 96 px, scale (0.05, 0.4) (DINO main_dino.py <c>--local_crops_scale</c> default).</summary>
    public static RandomResizedCropOptions DinoLocal => new() { Size = 96, Scale = (0.05, 0.4) };

    internal void Validate()
    {
        Guard.Positive(Size, nameof(Size));
        if (!(Scale.Min > 0 && Scale.Min <= Scale.Max && Scale.Max <= 1))
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, $"Scale must satisfy 0 < min <= max <= 1; got ({Scale.Min}, {Scale.Max}).");
        if (!(Ratio.Min > 0 && Ratio.Min <= Ratio.Max && double.IsFinite(Ratio.Max)))
            throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio, $"Ratio must satisfy 0 < min <= max < ∞; got ({Ratio.Min}, {Ratio.Max}).");
    }
}

/// <summary>
/// Crops a random part of an image and resizes it to a square (torchvision <c>RandomResizedCrop</c>, the
/// pre-training crop of MFM and DINO).
/// </summary>
/// <remarks>
/// The box follows torchvision's <c>get_params</c>: up to 10 attempts draw an area fraction uniformly from
/// <c>Scale</c> and an aspect ratio log-uniformly from <c>Ratio</c>, take <c>w = round(√(area · ratio))</c>,
/// <c>h = round(√(area / ratio))</c> (halves to even, Python's <c>round</c>), and accept the first box that fits, at a
/// uniform position. When none fits, the fallback is a centre crop of the whole image with its ratio clamped into
/// <c>Ratio</c>. The box is then resized bicubically (<see cref="Resize"/>: antialiased when shrinking, clamped to
/// [0,1]).
/// </remarks>
public sealed class RandomResizedCrop : IEightBitTransform
{
    const int Attempts = 10;

    /// <summary>The options in use.</summary>
    public RandomResizedCropOptions Options { get; }

    /// <summary>Creates the transform; throws for out-of-range options.</summary>
    public RandomResizedCrop(RandomResizedCropOptions? options = null)
    {
        Options = options ?? new RandomResizedCropOptions();
        Options.Validate();
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        return ResizedCrop(image, SampleBox((int)image.shape[1], (int)image.shape[2], random));
    }

    /// <inheritdoc/>
    /// <remarks>Draws the box exactly as <see cref="Apply"/> does, then crops and resizes the 8-bit pixels.</remarks>
    public Tensor ApplyEightBit(Tensor pixels, Random random)
    {
        EightBitPixels.Check(pixels, nameof(pixels));
        var box = SampleBox((int)pixels.shape[1], (int)pixels.shape[2], random);
        using var scope = NewDisposeScope();
        var crop = pixels.narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
        return Resize.BicubicEightBit(crop, Options.Size, Options.Size).MoveToOuterDisposeScope();
    }

    /// <summary>The deterministic half of <see cref="Apply"/>: crops <paramref name="box"/> and resizes it to Size × Size.</summary>
    public Tensor ResizedCrop(Tensor image, CropBox box)
    {
        SingleImage.Check(image, nameof(image));
        if (box.Top < 0 || box.Left < 0 || box.Height < 1 || box.Width < 1 || box.Top + box.Height > image.shape[1] || box.Left + box.Width > image.shape[2])
            throw new ArgumentOutOfRangeException(nameof(box), box, $"box must lie inside the {image.shape[1]}×{image.shape[2]} image; got {box}.");
        using var scope = NewDisposeScope();
        var crop = image.narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
        return Resize.Bicubic(crop, Options.Size, Options.Size).MoveToOuterDisposeScope();
    }

    /// <summary>Draws the crop box for an image of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public CropBox SampleBox(int height, int width, Random random)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        ArgumentNullException.ThrowIfNull(random);
        double area = (double)height * width;
        double logMin = Math.Log(Options.Ratio.Min), logMax = Math.Log(Options.Ratio.Max);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double target = area * Uniform(random, Options.Scale.Min, Options.Scale.Max);
            double ratio = Math.Exp(Uniform(random, logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(target * ratio), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / ratio), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
                return new CropBox(random.Next(0, height - h + 1), random.Next(0, width - w + 1), h, w);
        }

        double inRatio = (double)width / height;
        int fh = height, fw = width;
        if (inRatio < Options.Ratio.Min) fh = (int)Math.Round(fw / Options.Ratio.Min, MidpointRounding.ToEven);
        else if (inRatio > Options.Ratio.Max) fw = (int)Math.Round(fh * Options.Ratio.Max, MidpointRounding.ToEven);
        return new CropBox((height - fh) / 2, (width - fw) / 2, fh, fw);
    }

    static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();
}
