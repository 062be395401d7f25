using static TorchSharp.torch;

namespace Folk.Lab.Data.Transforms;

/// <summary>Options of <see cref="PhotoMetricDistortion"/>; defaults are mmsegmentation's (open-mmlab/mmsegmentation
/// <c>mmseg/datasets/pipelines/transforms.py</c>, <c>PhotoMetricDistortion.__init__</c>), which its ADE20K pipeline uses.</summary>
public sealed record PhotoMetricDistortionOptions
{
    /// <summary>Brightness: a shift drawn from [−δ, δ] 8-bit levels (<c>brightness_delta=32</c>).</summary>
    public double BrightnessDelta { get; init; } = 32;

    /// <summary>Contrast: a factor the pixel values are multiplied by (<c>contrast_range=(0.5, 1.5)</c>).</summary>
    public (double Min, double Max) ContrastRange { get; init; } = (0.5, 1.5);

    /// <summary>Saturation: a factor HSV's S is multiplied by (<c>saturation_range=(0.5, 1.5)</c>).</summary>
    public (double Min, double Max) SaturationRange { get; init; } = (0.5, 1.5);

    /// <summary>Hue: a shift drawn from the integers −δ…δ − 1 of OpenCV's 180-step hue circle (<c>hue_delta=18</c>,
    /// NumPy's <c>randint(-18, 18)</c>, whose upper end is exclusive).</summary>
    public int HueDelta { get; init; } = 18;
}

/// <summary>
/// mmsegmentation's <c>PhotoMetricDistortion</c> on 8-bit values, each adjustment with probability ½: brightness (add
/// a shift), then, in an order drawn per image, contrast (multiply) either second or last, saturation and hue (in
/// OpenCV's 8-bit HSV: H in 0…179, S and V in 0…255). Values are clipped to 0…255 and truncated to integers after each
/// adjustment, as the reference's <c>astype(np.uint8)</c> does.
/// </summary>
/// <remarks>
/// <para>Random draws follow the reference's order: a coin for brightness (and its shift), the order coin, then for each
/// adjustment its coin and, when it applies, its value.</para>
/// <para>The image enters as floats in [0,1] and is first rounded to 8-bit levels (the reference's image is 8-bit at this
/// point of the pipeline); it leaves as those levels / 255. RGB ↔ HSV use OpenCV's formulas for 8-bit images (cvtColor
/// <c>COLOR_BGR2HSV</c> / <c>COLOR_HSV2BGR</c>: H = 30·(channel difference)/(max − min) per sector, S = 255·(max − min)/max,
/// rounded; back through floats, rounded), computed in double precision where OpenCV uses 12-bit fixed-point tables, so a
/// value may differ by one level. Per-pixel work runs in C# on the loader's thread and makes no native call.</para>
/// </remarks>
public sealed class PhotoMetricDistortion : IImageTransform
{
    /// <summary>The options in use.</summary>
    public PhotoMetricDistortionOptions Options { get; }

    /// <summary>Creates the transform.</summary>
    public PhotoMetricDistortion(PhotoMetricDistortionOptions? options = null)
    {
        Options = options ?? new PhotoMetricDistortionOptions();
        Guard.NonNegative(Options.BrightnessDelta, nameof(Options.BrightnessDelta));
        Guard.NonNegative(Options.HueDelta, nameof(Options.HueDelta));
        foreach (var (range, name) in new[] { (Options.ContrastRange, nameof(Options.ContrastRange)), (Options.SaturationRange, nameof(Options.SaturationRange)) })
            if (!(range.Min >= 0 && range.Min <= range.Max))
                throw new ArgumentOutOfRangeException(name, range, $"{name} must satisfy 0 <= min <= max; got ({range.Min}, {range.Max}).");
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor image, Random random)
    {
        SingleImage.Check(image, nameof(image));
        ArgumentNullException.ThrowIfNull(random);
        int h = (int)image.shape[1], w = (int)image.shape[2], plane = h * w;
        float[] source;
        using (var f = image.to(ScalarType.Float32).contiguous()) source = f.data<float>().ToArray();
        var levels = new byte[source.Length];
        for (int i = 0; i < source.Length; i++) levels[i] = (byte)Math.Round(Math.Clamp(source[i], 0f, 1f) * 255f, MidpointRounding.ToEven);

        if (random.Next(2) == 1) Convert(levels, 1, RandomVariates.Uniform(random, -Options.BrightnessDelta, Options.BrightnessDelta));
        bool contrastFirst = random.Next(2) == 1;
        if (contrastFirst) Contrast(levels, random);
        if (random.Next(2) == 1)
        {
            double alpha = RandomVariates.Uniform(random, Options.SaturationRange.Min, Options.SaturationRange.Max);
            InHsv(levels, plane, (ref byte hue, ref byte saturation) => saturation = Clip((float)saturation * (float)alpha));
        }
        if (random.Next(2) == 1)
        {
            int shift = random.Next(-Options.HueDelta, Options.HueDelta);
            InHsv(levels, plane, (ref byte hue, ref byte saturation) => hue = (byte)(((hue + shift) % 180 + 180) % 180));
        }
        if (!contrastFirst) Contrast(levels, random);

        var result = new float[levels.Length];
        for (int i = 0; i < levels.Length; i++) result[i] = levels[i] / 255f;
        return tensor(result, new long[] { 3, h, w });
    }

    void Contrast(byte[] levels, Random random)
    {
        if (random.Next(2) == 1) Convert(levels, RandomVariates.Uniform(random, Options.ContrastRange.Min, Options.ContrastRange.Max), 0);
    }

    /// <summary>The reference's <c>convert</c>: <c>uint8(clip(float32(x)·α + β, 0, 255))</c>.</summary>
    static void Convert(byte[] levels, double alpha, double beta)
    {
        for (int i = 0; i < levels.Length; i++) levels[i] = Clip(levels[i] * (float)alpha + (float)beta);
    }

    static byte Clip(float value) => (byte)Math.Clamp(value, 0f, 255f);

    delegate void HsvEdit(ref byte hue, ref byte saturation);

    /// <summary>RGB → 8-bit HSV, <paramref name="edit"/>, → RGB, per pixel.</summary>
    static void InHsv(byte[] levels, int plane, HsvEdit edit)
    {
        for (int i = 0; i < plane; i++)
        {
            int r = levels[i], g = levels[plane + i], b = levels[2 * plane + i];
            int v = Math.Max(r, Math.Max(g, b)), diff = v - Math.Min(r, Math.Min(g, b));
            byte s = (byte)(v == 0 ? 0 : Math.Floor(255.0 * diff / v + 0.5));
            double sector = diff == 0 ? 0 : v == r ? (double)(g - b) / diff : v == g ? (double)(b - r) / diff + 2 : (double)(r - g) / diff + 4;
            int hue = (int)Math.Floor(30 * sector + 0.5);
            byte h = (byte)(hue < 0 ? hue + 180 : hue);
            edit(ref h, ref s);
            var (nr, ng, nb) = ToRgb(h, s, (byte)v);
            levels[i] = nr; levels[plane + i] = ng; levels[2 * plane + i] = nb;
        }
    }

    /// <summary>OpenCV's 8-bit HSV → RGB: through floats (H·6/180, S/255, V/255), rounded back to 8 bits.</summary>
    static (byte R, byte G, byte B) ToRgb(byte hue, byte saturation, byte value)
    {
        double s = saturation / 255.0, v = value / 255.0, r, g, b;
        if (s == 0) r = g = b = v;
        else
        {
            double h = hue * 6.0 / 180.0;
            int sector = (int)Math.Floor(h);
            double f = h - sector;
            double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
            (r, g, b) = (sector % 6) switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
        }
        static byte Level(double x) => (byte)Math.Clamp(Math.Round(x * 255, MidpointRounding.ToEven), 0, 255);
        return (Level(r), Level(g), Level(b));
    }
}
