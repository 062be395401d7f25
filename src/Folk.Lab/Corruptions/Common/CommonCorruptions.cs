using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// The ImageNet-C corruptions by name: their benchmark names, families and one checked entry point,
/// <see cref="Apply"/>, for the library, the <c>folk-lab corrupt</c> verb and the robustness protocol.
/// </summary>
public static class CommonCorruptions
{
    /// <summary>The fifteen, in the benchmark's order.</summary>
    public static IReadOnlyList<CommonCorruption> All { get; } = Enum.GetValues<CommonCorruption>();

    /// <summary>The implementations, one per family.</summary>
    static readonly ICorruptionFamily[] Families = [new NoiseCorruptions(), new BlurCorruptions(), new WeatherCorruptions(), new DigitalCorruptions()];

    /// <summary>Whether this build implements the corruption (<see cref="Apply"/> throws <see cref="NotSupportedException"/> otherwise).</summary>
    public static bool IsImplemented(CommonCorruption corruption) => Families.Any(f => f.Members.Contains(corruption));

    /// <summary>The benchmark's name: <c>gaussian_noise</c>, …, <c>jpeg_compression</c> (ImageNet-C's folder names).</summary>
    public static string Name(this CommonCorruption corruption) => corruption switch
    {
        CommonCorruption.GaussianNoise => "gaussian_noise",
        CommonCorruption.ShotNoise => "shot_noise",
        CommonCorruption.ImpulseNoise => "impulse_noise",
        CommonCorruption.DefocusBlur => "defocus_blur",
        CommonCorruption.GlassBlur => "glass_blur",
        CommonCorruption.MotionBlur => "motion_blur",
        CommonCorruption.ZoomBlur => "zoom_blur",
        CommonCorruption.Snow => "snow",
        CommonCorruption.Frost => "frost",
        CommonCorruption.Fog => "fog",
        CommonCorruption.Brightness => "brightness",
        CommonCorruption.Contrast => "contrast",
        CommonCorruption.ElasticTransform => "elastic_transform",
        CommonCorruption.Pixelate => "pixelate",
        CommonCorruption.JpegCompression => "jpeg_compression",
        _ => throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null),
    };

    /// <summary>The corruption with this benchmark name; throws listing the fifteen names otherwise.</summary>
    public static CommonCorruption Parse(string name)
    {
        foreach (var c in All)
            if (string.Equals(c.Name(), name, StringComparison.OrdinalIgnoreCase)) return c;
        throw new ArgumentException($"Unknown corruption '{name}'; expected one of {string.Join(", ", All.Select(c => c.Name()))}.", nameof(name));
    }

    /// <summary>The family ImageNet-C files the corruption under (its folder layout).</summary>
    public static CorruptionFamily FamilyOf(this CommonCorruption corruption) => corruption switch
    {
        CommonCorruption.GaussianNoise or CommonCorruption.ShotNoise or CommonCorruption.ImpulseNoise => CorruptionFamily.Noise,
        CommonCorruption.DefocusBlur or CommonCorruption.GlassBlur or CommonCorruption.MotionBlur or CommonCorruption.ZoomBlur => CorruptionFamily.Blur,
        CommonCorruption.Snow or CommonCorruption.Frost or CommonCorruption.Fog or CommonCorruption.Brightness => CorruptionFamily.Weather,
        _ => CorruptionFamily.Digital,
    };

    /// <summary>The table of constants for images of side <paramref name="side"/>: 224 → ImageNet-C, 32 → CIFAR-10-C.</summary>
    public static CorruptionConstants ConstantsFor(long side) => side switch
    {
        224 => CorruptionConstants.ImageNet224,
        32 => CorruptionConstants.Cifar32,
        _ => throw new ArgumentException(
            $"ImageNet-C's constants are published for 224×224 images and CIFAR-10-C's for 32×32; got {side}×{side}. " +
            "Resize or crop the images to one of those sides first (ImageNet-C: resize 256, centre crop 224).", nameof(side)),
    };

    /// <summary>Corrupts a batch at one severity.</summary>
    /// <param name="corruption">Which corruption.</param>
    /// <param name="images">B×3×H×W float32 on the CPU, in [0,1], square with a side of 224 or 32.</param>
    /// <param name="severity">1 (mildest) … 5.</param>
    /// <param name="generator">A CPU generator; the result is a function of the images, the severity and its state.</param>
    /// <returns>A new B×3×H×W float32 tensor in [0,1]; the input is not modified.</returns>
    public static Tensor Apply(CommonCorruption corruption, Tensor images, int severity, Generator generator)
    {
        Guard.ImageBatch(images, nameof(images));
        if (images.shape[1] != 3)
            throw new ArgumentException($"ImageNet-C corrupts RGB images: expected B×3×H×W, got [{string.Join(", ", images.shape)}]. Repeat a grey channel three times first.", nameof(images));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"Expected float32 images in [0,1], got {images.dtype}.", nameof(images));
        if (images.device_type != TorchSharp.DeviceType.CPU || generator.device.type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException("The corruptions run on the CPU (several are sequential or use the JPEG codec): move the images there first.", nameof(images));
        Guard.Square(images, nameof(images), "ImageNet-C's constants are published for square images");
        if (severity is < 1 or > 5)
            throw new ArgumentOutOfRangeException(nameof(severity), severity, "Severities run from 1 to 5.");
        var constants = ConstantsFor(images.shape[2]);
        var family = Families.FirstOrDefault(f => f.Members.Contains(corruption))
            ?? throw new NotSupportedException($"'{corruption.Name()}' has no implementation yet.");
        return family.Apply(corruption, images, severity, constants, generator);
    }
}
