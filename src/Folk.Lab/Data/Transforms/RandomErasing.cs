using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>What <see cref="RandomErasing"/> writes into the erased box.</summary>
public enum RandomErasingMode
{
    /// <summary>Zeros, the dataset mean after normalisation (timm <c>mode='const'</c>).</summary>
    Constant,
    /// <summary>One Normal(0, 1) value per channel (timm <c>mode='rand'</c>).</summary>
    PerChannel,
    /// <summary>Normal(0, 1) noise per pixel and channel (timm <c>mode='pixel'</c>, MFM's fine-tuning).</summary>
    PerPixel,
}

/// <summary>Options of <see cref="RandomErasing"/>.</summary>
/// <remarks>Defaults: MFM's fine-tuning (config.py <c>_C.AUG.REPROB = 0.25</c>, <c>REMODE = 'pixel'</c>,
/// <c>RECOUNT = 1</c>) with timm 0.4.12's box ranges (<c>timm/data/random_erasing.py</c> <c>RandomErasing</c>:
/// <c>min_area=0.02, max_area=1/3, min_aspect=0.3, max_aspect=1/min_aspect</c>).</remarks>
public sealed record RandomErasingOptions
{
    /// <summary>Probability of erasing an image (MFM <c>AUG.REPROB = 0.25</c>; timm's own default 0.5).</summary>
    public double Probability { get; init; } = 0.25;

    /// <summary>Range of the box's area as a fraction of the image's, divided by the box count (timm
    /// <c>min_area=0.02, max_area=1/3</c>).</summary>
    public (double Min, double Max) Area { get; init; } = (0.02, 1.0 / 3.0);

    /// <summary>Range of the box's aspect ratio height / width, sampled log-uniformly (timm <c>min_aspect=0.3</c>,
    /// <c>max_aspect = 1 / min_aspect</c>).</summary>
    public (double Min, double Max) Aspect { get; init; } = (0.3, 1 / 0.3);

    /// <summary>What fills the box (MFM <c>AUG.REMODE = 'pixel'</c>).</summary>
    public RandomErasingMode Mode { get; init; } = RandomErasingMode.PerPixel;

    /// <summary>Range of the number of boxes per erased image, drawn uniformly (MFM <c>AUG.RECOUNT = 1</c>, which timm
    /// takes as <c>max_count</c> with <c>min_count = 1</c>).</summary>
    public (int Min, int Max) Count { get; init; } = (1, 1);

    internal void Validate()
    {
        Guard.Probability(Probability, nameof(Probability));
        if (!(Area.Min > 0 && Area.Min <= Area.Max && Area.Max <= 1))
            throw new ArgumentOutOfRangeException(nameof(Area), Area, $"Area must satisfy 0 < min <= max <= 1; got ({Area.Min}, {Area.Max}).");
        if (!(Aspect.Min > 0 && Aspect.Min <= Aspect.Max && double.IsFinite(Aspect.Max)))
            throw new ArgumentOutOfRangeException(nameof(Aspect), Aspect, $"Aspect must satisfy 0 < min <= max < ∞; got ({Aspect.Min}, {Aspect.Max}).");
        if (!(Count.Min >= 1 && Count.Min <= Count.Max))
            throw new ArgumentOutOfRangeException(nameof(Count), Count, $"Count must satisfy 1 <= min <= max; got ({Count.Min}, {Count.Max}).");
    }
}

/// <summary>
/// Random Erasing (Zhong et al., 2020) as timm 0.4.12 implements it (<c>timm/data/random_erasing.py</c>), the last step
/// of MFM's fine-tuning augmentation: with probability p, replace one box per image by noise.
/// </summary>
/// <remarks>
/// <para>timm applies it <b>after</b> <c>ToTensor</c> and <c>Normalize</c>, so the image here is the normalised 3×H×W
/// tensor (any range) and the noise is Normal(0, 1), the dataset's mean and spread after normalisation. Put it after
/// <see cref="Normalize"/> in a <see cref="Compose"/>.</para>
/// <para>Each box: up to 10 attempts draw an area <c>A</c> uniformly from <c>Area · H·W / count</c> and an aspect
/// <c>r</c> log-uniformly from <c>Aspect</c>, take <c>h = round(√(A·r))</c>, <c>w = round(√(A / r))</c> (Python's
/// rounding, halves to even), and keep the first box with <c>h &lt; H</c> and <c>w &lt; W</c>, at a uniform position;
/// when no attempt fits, that box is skipped. The noise comes from a <see cref="Generator"/> seeded from the
/// <see cref="Random"/> passed in, so all randomness still comes from it.</para>
/// </remarks>
public sealed class RandomErasing : IImageTransform
{
    const int Attempts = 10;

    /// <summary>The options in use.</summary>
    public RandomErasingOptions Options { get; }

    /// <summary>Creates the transform (default: MFM's p = 0.25, per-pixel noise, one box); throws for out-of-range
    /// options.</summary>
    public RandomErasing(RandomErasingOptions? options = null)
    {
        Options = options ?? new RandomErasingOptions();
        Options.Validate();
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        var boxes = SampleBoxes((int)image.shape[1], (int)image.shape[2], random);
        return Erase(image, boxes, random);
    }

    /// <summary>The boxes for an image of <paramref name="height"/> × <paramref name="width"/> pixels: none when the
    /// image is not erased (probability 1 − p).</summary>
    public IReadOnlyList<CropBox> SampleBoxes(int height, int width, Random random)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        ArgumentNullException.ThrowIfNull(random);
        var boxes = new List<CropBox>();
        if (random.NextDouble() >= Options.Probability) return boxes;
        int count = Options.Count.Min == Options.Count.Max ? Options.Count.Min : random.Next(Options.Count.Min, Options.Count.Max + 1);
        double area = (double)height * width;
        double logMin = Math.Log(Options.Aspect.Min), logMax = Math.Log(Options.Aspect.Max);
        for (int box = 0; box < count; box++)
        {
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                double target = RandomVariates.Uniform(random, Options.Area.Min, Options.Area.Max) * area / count;
                double aspect = Math.Exp(RandomVariates.Uniform(random, logMin, logMax));
                int h = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
                int w = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
                if (w < width && h < height)
                {
                    boxes.Add(new CropBox(random.Next(0, height - h + 1), random.Next(0, width - w + 1), h, w));
                    break;
                }
            }
        }
        return boxes;
    }

    /// <summary>A copy of <paramref name="image"/> with each box filled as <see cref="RandomErasingOptions.Mode"/>
    /// says, later boxes over earlier ones; the noise generator is seeded from <paramref name="random"/>.</summary>
    public Tensor Erase(Tensor image, IReadOnlyList<CropBox> boxes, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(random);
        var erased = image.clone();
        foreach (var box in boxes)
        {
            if (box.Top < 0 || box.Left < 0 || box.Height < 0 || box.Width < 0 || box.Top + box.Height > image.shape[1] || box.Left + box.Width > image.shape[2])
            {
                erased.Dispose();
                throw new ArgumentOutOfRangeException(nameof(boxes), box, $"each box must lie inside the {image.shape[1]}×{image.shape[2]} image; got {box}.");
            }
            using var scope = NewDisposeScope();
            var region = erased.narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
            using var generator = new Generator((ulong)random.NextInt64());
            var shape = Options.Mode == RandomErasingMode.PerPixel ? new long[] { 3, box.Height, box.Width } : new long[] { 3, 1, 1 };
            var fill = Options.Mode == RandomErasingMode.Constant
                ? zeros(shape, dtype: image.dtype, device: image.device)
                : randn(shape, dtype: image.dtype, generator: generator).to(image.device);
            region.copy_(fill.expand_as(region));
        }
        return erased;
    }
}
