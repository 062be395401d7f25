using static TorchSharp.torch;

namespace Folk.Lab.Interactive.Tests.Support;

internal static class TestTensors
{
    /// <summary>B×C×N×N images in [0,1] from a seeded generator (smooth blobs plus noise: a falling spectrum).</summary>
    public static Tensor Images(int batch, int channels, int size, ulong seed = 1)
    {
        var generator = new Generator(seed);
        using var noise = rand(new long[] { batch, channels, size / 4, size / 4 }, generator: generator);
        using var smooth = nn.functional.interpolate(noise, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);
        using var fine = rand(new long[] { batch, channels, size, size }, generator: generator);
        return (smooth * 0.8 + fine * 0.2).clamp(0, 1);
    }
}
