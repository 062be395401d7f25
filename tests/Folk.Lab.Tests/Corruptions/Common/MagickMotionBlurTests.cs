using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>
/// <see cref="MagickMotionBlur"/> against ImageMagick's own <c>MotionBlurImage</c>, called through Wand exactly as
/// ImageNet-C calls it (8-bit PNG in, 8-bit PNG out; reference/python/imagenet_c_blur.py).
/// </summary>
public class MagickMotionBlurTests
{
    // Angles on both sides of every axis, including exact multiples of 45° where the half-pixel rounding of the offsets
    // decides, and the radii and σ of both tables (snow's included).
    [ImageNetCReferenceTheory]
    [InlineData(10, 3, new[] { 0.0, 90.0, -45.0, 45.0 })]
    [InlineData(15, 8, new[] { 180.0, -90.0, 30.0, -135.0 })]
    [InlineData(20, 15, new[] { 12.5, -44.9, -100.0, 135.0 })]
    [InlineData(6, 1.5, new[] { 7.0, -33.0, -60.0, 200.0 })]
    [InlineData(14, 12, new[] { -80.0, -120.0, 1.0, 89.0 })]
    public void MatchesImageMagickLevelForLevelOnEightBitImages(double radius, double sigma, double[] angles)
    {
        // 8-bit levels held exactly (float64 k/255): the sums then differ from ImageMagick's k·257 by float64 rounding only
        using var natural = TestImages.Natural(angles.Length, 48, seed: 17);
        using var x = (natural * 255).round().to(ScalarType.Float64) / 255;
        using var ours = MagickMotionBlur.Apply(x, radius, sigma, angles);
        using var theirs = PyTorchReference.Call("imagenet_c/blur/magick_motion_blur",
            new Dictionary<string, Tensor> { ["images"] = x, ["angles"] = tensor(angles) }, new { radius, sigma })["out"];
        AssertSameLevels(theirs, ours, 1e-6, $"radius {radius}, σ {sigma}, angles {string.Join(", ", angles)}");
    }

    /// <summary>
    /// ImageMagick Q16 rounds its float sum to 16 bits and its PNG coder truncates that to 8; with those two steps
    /// (<see cref="MagickMotionBlur.EightBit"/>) applied to Folk.Lab's float every level must agree, except where the
    /// sum lies on a 16-bit half step, within <paramref name="window"/> of one: there the two sums, of 8-bit inputs read
    /// differently, may round apart by one. Such ties must stay rare (≤ 1 in 1000 values).
    /// </summary>
    internal static void AssertSameLevels(Tensor imageMagick, Tensor ours, double window, string what)
    {
        using var scope = NewDisposeScope();
        var levels = MagickMotionBlur.EightBit(ours);
        Assert.Equal(imageMagick.shape, levels.shape);
        var differ = levels.ne(imageMagick.to(ScalarType.Float64));
        var quantum = ours.to(ScalarType.Float64) * 65535.0;
        var tie = (quantum - quantum.floor() - 0.5).abs().lt(window);
        long count = differ.sum().item<long>(), unexplained = differ.logical_and(tie.logical_not()).sum().item<long>();
        Assert.True(unexplained == 0, $"{what}: {unexplained} of {levels.numel()} levels differ away from a 16-bit half step.");
        Assert.True(count * 1000 <= levels.numel(), $"{what}: {count} of {levels.numel()} levels differ at half steps.");
    }

    [Fact]
    public void EightBitRoundsToSixteenBitsThenTruncates()
    {
        // 85.795 levels → q = ⌊22049.3 + ½⌋ = 22049 → ⌊255·22049/65535⌋ = 85; 0.9985 of a level → q = 257 → 1
        using var values = tensor(new[] { 85.795 / 255, 0.9985 / 255, 0.9962 / 255, 1.2, -0.1 });
        using var levels = MagickMotionBlur.EightBit(values) * 255;
        Assert.Equal(new[] { 85.0, 1, 0, 255, 0 }, levels.round().data<double>().ToArray());
    }

    [Fact]
    public void AStreakAtZeroDegreesAveragesThePixelsToItsRightWithTheEdgeRepeated()
    {
        using var x = zeros(1, 1, 1, 8, dtype: ScalarType.Float64);
        x[0, 0, 0, 7] = tensor(1.0);
        using var blurred = MagickMotionBlur.Apply(x, 2, 1, [0.0]);        // width 5, weights ∝ e^{−i²/2}
        var w = MagickMotionBlur.Weights(5, 1);
        // pixel 3 reads 3…7: only 7 is lit (tap 4); pixel 5 reads 5, 6, 7, 7, 7 (the edge repeated): taps 2–4
        Assert.Equal(w[4], blurred[0, 0, 0, 3].item<double>(), 15);
        Assert.Equal(w[2] + w[3] + w[4], blurred[0, 0, 0, 5].item<double>(), 15);
        Assert.Equal(1.0, blurred[0, 0, 0, 7].item<double>(), 15);
        Assert.Equal(0.0, blurred[0, 0, 0, 2].item<double>());
    }
}
