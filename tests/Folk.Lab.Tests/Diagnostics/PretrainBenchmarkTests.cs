using Folk.Lab.Diagnostics;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Diagnostics;

public class PretrainBenchmarkTests
{
    static readonly PretrainBenchmarkCase Tiny = new("tiny", "vit-t", 32, 2, PatchSize: 8, Depth: 1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]                      // the mixed-precision path the GPU runs, exercised on the CPU
    public void TimesAFullStepInEitherPrecision(bool bfloat16)
    {
        var timing = PretrainBenchmark.Run(Tiny, CPU, steps: 2, warmup: 1, bfloat16: bfloat16);
        Assert.True(timing.SecondsPerStep > 0 && double.IsFinite(timing.SecondsPerStep));
        Assert.Equal(Flops.TrainingStep(Flops.VisionTransformerForward(Tiny.Encoder)), timing.FlopsPerImage);
        Assert.Equal(Tiny.Batch / timing.SecondsPerStep, timing.ImagesPerSecond, 9);
    }

    [Fact]
    public void MatmulPeakIsMeasuredInTheRequestedPrecision()
    {
        double fp32 = MatmulPeak.Measure(CPU, n: 128, repeats: 2);
        double bf16 = MatmulPeak.Measure(CPU, n: 128, repeats: 2, dtype: ScalarType.BFloat16);
        Assert.True(fp32 > 1e6 && bf16 > 1e6, $"{fp32:E2} / {bf16:E2} FLOP/s");
    }
}
