using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// ImageNet-C's weather family as its folder layout files it: snow, frost, fog and brightness (Hendrycks &amp;
/// Dietterich, arXiv 1903.12261, §3), restated from hendrycks/robustness <c>ImageNet-C/create_c/make_imagenet_c.py</c>
/// (224²) and <c>make_cifar_c.py</c> (CIFAR-10-C, 32²) with their per-severity constants.
/// </summary>
/// <remarks>
/// <para>Brightness is deterministic and follows the published arithmetic in float64. Snow, frost and fog draw random
/// numbers; <see cref="Apply"/> draws them from the generator and hands them to <see cref="Snow"/>,
/// <see cref="Frost"/> and <see cref="Fog"/>, which are deterministic given the draws.</para>
/// <para>Frost differs from the original by design: ImageNet-C blends a random crop of one of the frost photographs
/// shipped with its code (<c>frost1.png</c> … <c>frost5.jpg</c>; <c>np.random.randint(5)</c> never picks the sixth),
/// which Folk.Lab does not ship. <see cref="FrostTexture"/> draws a procedural ice-crystal texture with the
/// photographs' measured colour statistics instead; the blend and its constants are the published ones.</para>
/// <para>Every result is clipped to [0, 1] where the original clips, and returned as float32 without the 8-bit
/// rounding the benchmarks applied when they stored their images.</para>
/// </remarks>
public sealed class WeatherCorruptions : ICorruptionFamily
{
    /// <inheritdoc/>
    public CorruptionFamily Family => CorruptionFamily.Weather;

    /// <inheritdoc/>
    public IReadOnlyList<CommonCorruption> Members { get; } =
        [CommonCorruption.Snow, CommonCorruption.Frost, CommonCorruption.Fog, CommonCorruption.Brightness];

    /// <summary>
    /// Snow's constants per severity, <c>snow</c>'s <c>c</c>: the snow layer's normal mean and standard deviation, its
    /// zoom, the threshold below which it is cleared, ImageMagick's motion-blur radius and σ, and the weight the image
    /// keeps against its brightened grey version. The streak angle is uniform in [−135°, −45°).
    /// </summary>
    public static SeverityTable<(double Mean, double Std, double Zoom, double Threshold, double Radius, double Sigma, double ImageWeight)> SnowLayer { get; } = new(
        [(0.1, 0.3, 3, 0.5, 10, 4, 0.8), (0.2, 0.3, 2, 0.5, 12, 4, 0.7), (0.55, 0.3, 4, 0.9, 12, 8, 0.7),
         (0.55, 0.3, 4.5, 0.85, 12, 8, 0.65), (0.55, 0.3, 2.5, 0.85, 12, 12, 0.55)],
        [(0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
         (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85), (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8)]);

    /// <summary>Frost's (image weight, frost weight) per severity: <c>frost</c>'s <c>c</c>.</summary>
    public static SeverityTable<(double ImageWeight, double FrostWeight)> FrostBlend { get; } = new(
        [(1, 0.4), (0.8, 0.6), (0.7, 0.7), (0.65, 0.7), (0.6, 0.75)],
        [(1, 0.2), (1, 0.3), (0.9, 0.4), (0.85, 0.4), (0.75, 0.45)]);

    /// <summary>Fog's (haze strength, plasma decay) per severity: <c>fog</c>'s <c>c</c>. The plasma map is 256² for
    /// ImageNet-C (cropped to 224²) and 32² for CIFAR-10-C.</summary>
    public static SeverityTable<(double Strength, double Decay)> FogHaze { get; } = new(
        [(1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4)],
        [(0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75)]);

    /// <summary>The side of fog's plasma map: <c>plasma_fractal</c>'s <c>mapsize</c> default in each script.</summary>
    public static long FogMapSize(CorruptionConstants constants) => constants == CorruptionConstants.ImageNet224 ? 256 : 32;

    /// <summary>Brightness's shift of the HSV value per severity: <c>brightness</c>'s <c>c</c>.</summary>
    public static SeverityTable<double> BrightnessShift { get; } = new(
        [0.1, 0.2, 0.3, 0.4, 0.5],
        [0.05, 0.1, 0.15, 0.2, 0.3]);

    /// <inheritdoc/>
    public Tensor Apply(CommonCorruption corruption, Tensor images, int severity, CorruptionConstants constants, Generator generator)
    {
        long batch = images.shape[0], side = images.shape[2];
        switch (corruption)
        {
            case CommonCorruption.Brightness:
                return Brightness(images, severity, constants);
            case CommonCorruption.Fog:
            {
                using var plasma = PlasmaFractal.Sample(batch, FogMapSize(constants), FogHaze[severity, constants].Decay, generator);
                return Fog(images, severity, constants, plasma);
            }
            case CommonCorruption.Frost:
            {
                using var frost = FrostTexture.Sample(batch, constants, generator);
                return Frost(images, severity, constants, frost);
            }
            case CommonCorruption.Snow:
            {
                using var normals = randn(new[] { batch, side, side }, dtype: ScalarType.Float64, generator: generator);
                return Snow(images, severity, constants, normals, BlurCorruptions.UniformAngles(batch, -135, -45, generator));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "not a weather corruption");
        }
    }

    /// <summary>Brightness: skimage's HSV value raised by the severity's shift and clipped to [0, 1], back to RGB, in
    /// float64 (<see cref="HsvColor"/>), clipped to [0, 1].</summary>
    public static Tensor Brightness(Tensor images, int severity, CorruptionConstants constants)
    {
        double shift = BrightnessShift[severity, constants];
        using var scope = NewDisposeScope();
        var hsv = HsvColor.FromRgb(images);
        var value = (hsv[TensorIndex.Colon, 2] + shift).clamp(0.0, 1.0);
        var raised = stack(new[] { hsv[TensorIndex.Colon, 0], hsv[TensorIndex.Colon, 1], value }, 1);
        return HsvColor.ToRgb(raised).clamp(0.0, 1.0).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fog given its plasma maps (B×N×N float64 in [0, 1], N ≥ the image side): x + s·plasma, rescaled by
    /// max/(max + s) with max the image's largest value over all channels, in float64, clipped to [0, 1].
    /// </summary>
    public static Tensor Fog(Tensor images, int severity, CorruptionConstants constants, Tensor plasma)
    {
        var (strength, _) = FogHaze[severity, constants];
        long batch = images.shape[0], h = images.shape[2], w = images.shape[3];
        if (plasma.dim() != 3 || plasma.shape[0] != batch || plasma.shape[1] < h || plasma.shape[2] < w)
            throw new ArgumentException($"plasma must be {batch}×N×N with N ≥ {h}; got [{string.Join(", ", plasma.shape)}].", nameof(plasma));
        using var scope = NewDisposeScope();
        var x = images.to(ScalarType.Float64);
        var maxValue = x.amax(new long[] { 1, 2, 3 }, keepdim: true);
        var haze = plasma[TensorIndex.Colon, TensorIndex.Slice(0, h), TensorIndex.Slice(0, w)].to(ScalarType.Float64).unsqueeze(1);
        x = x + haze * strength;
        return (x * maxValue / (maxValue + strength)).clamp(0.0, 1.0).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Frost given its textures (B×3×H×W in [0, 1]): c₀·x + c₁·frost with the severity's weights, in
    /// float64, clipped to [0, 1].</summary>
    public static Tensor Frost(Tensor images, int severity, CorruptionConstants constants, Tensor frost)
    {
        var (imageWeight, frostWeight) = FrostBlend[severity, constants];
        Guard.SameShape(images, nameof(images), frost, nameof(frost));
        using var scope = NewDisposeScope();
        var blended = images.to(ScalarType.Float64) * imageWeight + frost.to(ScalarType.Float64) * frostWeight;
        return blended.clamp(0.0, 1.0).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Snow given its draws: <paramref name="normals"/> (B×H×W float64 standard normal) become the layer
    /// mean + std·z, which is magnified by <see cref="ClippedZoom"/>, cleared below the threshold, truncated to 8 bits
    /// as the original's PIL image is, streaked by <see cref="MagickMotionBlur"/> along <c>angles[b]</c> and brought to
    /// 8 bits as ImageMagick writes it (<see cref="MagickMotionBlur.EightBit"/>). The image is mixed in float32 with
    /// max(x, 1.5·grey + 0.5), grey being OpenCV's RGB→GRAY (0.299, 0.587, 0.114 as float32), and the layer is added
    /// twice, once rotated by 180°, in float64, clipped to [0, 1].
    /// </summary>
    public static Tensor Snow(Tensor images, int severity, CorruptionConstants constants, Tensor normals, IReadOnlyList<double> angles)
    {
        var c = SnowLayer[severity, constants];
        long batch = images.shape[0], h = images.shape[2], w = images.shape[3];
        if (!normals.shape.SequenceEqual(new[] { batch, h, w }))
            throw new ArgumentException($"normals must be {batch}×{h}×{w}; got [{string.Join(", ", normals.shape)}].", nameof(normals));
        using var scope = NewDisposeScope();
        var layer = (normals.to(ScalarType.Float64) * c.Std + c.Mean).unsqueeze(1);
        layer = ClippedZoom.Apply(layer, c.Zoom);
        layer = layer.masked_fill(layer.lt(c.Threshold), 0.0);
        var layer8 = (layer.clamp(0.0, 1.0) * 255.0).floor() / 255.0;
        var streaked = MagickMotionBlur.Apply(layer8, c.Radius, c.Sigma, angles);
        var snow = MagickMotionBlur.EightBit(streaked);

        var x = images.to(ScalarType.Float32);
        var grey = x[TensorIndex.Colon, TensorIndex.Slice(0, 1)] * 0.299f + x[TensorIndex.Colon, TensorIndex.Slice(1, 2)] * 0.587f
                   + x[TensorIndex.Colon, TensorIndex.Slice(2, 3)] * 0.114f;
        var whitened = maximum(x, grey * 1.5f + 0.5f);
        var mixed = x * (float)c.ImageWeight + whitened * (float)(1 - c.ImageWeight);
        var result = mixed.to(ScalarType.Float64) + snow + snow.flip(2, 3);
        return result.clamp(0.0, 1.0).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
