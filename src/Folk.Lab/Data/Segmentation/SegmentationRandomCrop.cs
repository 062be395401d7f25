namespace Folk.Lab.Data.Segmentation;

/// <summary>
/// mmsegmentation's <c>RandomCrop(crop_size, cat_max_ratio)</c> (open-mmlab/mmsegmentation
/// <c>mmseg/datasets/pipelines/transforms.py</c>): a window of the crop size at a uniformly drawn offset (the whole
/// side where the image is smaller); with a category limit below 1 the window is drawn again, up to ten times, until it
/// holds at least two classes and none of them covers the limit's share of its labelled pixels (ignored pixels are not
/// counted); after ten refusals the eleventh window is kept. ADE20K: 512 × 512, limit 0.75.
/// </summary>
public sealed class SegmentationRandomCrop : ISegmentationTransform
{
    /// <summary>Crop height.</summary>
    public int Height { get; }

    /// <summary>Crop width.</summary>
    public int Width { get; }

    /// <summary>The largest share of a window's labelled pixels one class may cover (<c>cat_max_ratio</c>; 1 = no limit).</summary>
    public double CategoryMaxRatio { get; }

    /// <summary>Windows drawn before the last one is kept whatever it holds (mmsegmentation: 10).</summary>
    public const int Attempts = 10;

    /// <summary>Creates the step.</summary>
    public SegmentationRandomCrop(int height, int width, double categoryMaxRatio = 0.75)
    {
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        if (!(categoryMaxRatio > 0 && categoryMaxRatio <= 1))
            throw new ArgumentOutOfRangeException(nameof(categoryMaxRatio), categoryMaxRatio, $"categoryMaxRatio must be in (0, 1]; got {categoryMaxRatio}.");
        Height = height;
        Width = width;
        CategoryMaxRatio = categoryMaxRatio;
    }

    /// <inheritdoc/>
    public SegmentedImage Apply(SegmentedImage sample, Random random)
    {
        sample.Check(nameof(sample));
        ArgumentNullException.ThrowIfNull(random);
        int h = (int)sample.Image.shape[1], w = (int)sample.Image.shape[2];
        var box = Window(h, w, random);
        if (CategoryMaxRatio < 1)
        {
            var labels = sample.Mask.contiguous().data<long>().ToArray();
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                if (Balanced(labels, w, box)) break;
                box = Window(h, w, random);
            }
        }
        var (y, x, ch, cw) = box;
        return new SegmentedImage(sample.Image.narrow(1, y, ch).narrow(2, x, cw).clone(), sample.Mask.narrow(0, y, ch).narrow(1, x, cw).clone());
    }

    /// <summary>mmsegmentation's <c>get_crop_bbox</c>: offsets drawn from [0, margin], the window clipped to the image.</summary>
    (int Y, int X, int Height, int Width) Window(int h, int w, Random random)
    {
        int y = random.Next(0, Math.Max(h - Height, 0) + 1), x = random.Next(0, Math.Max(w - Width, 0) + 1);
        return (y, x, Math.Min(Height, h - y), Math.Min(Width, w - x));
    }

    bool Balanced(long[] labels, int w, (int Y, int X, int Height, int Width) box)
    {
        var counts = new Dictionary<long, int>();
        for (int r = box.Y; r < box.Y + box.Height; r++)
            for (int c = box.X; c < box.X + box.Width; c++)
            {
                long label = labels[r * w + c];
                if (label != SegmentationLabels.Ignore) counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        return counts.Count > 1 && (double)counts.Values.Max() / counts.Values.Sum() < CategoryMaxRatio;
    }
}
