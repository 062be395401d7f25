using System.Diagnostics;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// The machine's practical float32 matrix-multiply peak, measured, not looked up: the best of several large square
/// products through the same libtorch BLAS the models use. The denominator of Folk.Lab's MFU on a CPU.
/// </summary>
public static class MatmulPeak
{
    /// <summary>FLOP/s of the fastest of <paramref name="repeats"/> n×n·n×n products on <paramref name="device"/>, in
    /// <paramref name="dtype"/> (float32 by default; bfloat16 for the peak a mixed-precision step is held against).</summary>
    public static double Measure(Device device, int n = 2048, int repeats = 5, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var a = randn(new long[] { n, n }, dtype: dtype, device: device);
        var b = randn(new long[] { n, n }, dtype: dtype, device: device);
        a.matmul(b).sum().to(ScalarType.Float32).item<float>();                                 // warm-up: threads, allocator, kernels
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            using var inner = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            var c = a.matmul(b);
            c[0, 0].to(ScalarType.Float32).item<float>();                                          // waits for the device
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best;
    }
}
