using Folk.Lab.Runtime;
using Folk.Lab.Tests.Support;
using Folk.Lab.Tests.Training;
using Folk.Lab.Training;

namespace Folk.Lab.Tests.Runtime;

public sealed class CpuBFloat16Tests : IDisposable
{
    readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Theory]
    [InlineData("fpu vme avx2 avx512f avx512_bf16 avx512_vnni", true)]
    [InlineData("fpu vme avx2 amx_bf16 amx_tile", true)]
    [InlineData("fpu vme avx2 avx512f avx512bw avx512_vnni", false)]       // AVX-512 without BF16: emulated
    [InlineData("fpu vme avx2 avx512_bf16x", false)]                        // a flag is a whole word
    public void ReadsTheFlagsLineOfCpuInfo(string flags, bool native)
    {
        var path = Path.Combine(_folders.New("folk-cpuinfo-"), "cpuinfo");
        File.WriteAllText(path, $"processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: {flags}\nbogomips\t: 4792.79\n\n");
        Assert.Equal(native, CpuBFloat16.FromCpuInfo(path));
    }

    [Fact]
    public void AMissingCpuInfoMeansNoNativeBFloat16() =>
        Assert.False(CpuBFloat16.FromCpuInfo(Path.Combine(_folders.New("folk-cpuinfo-"), "absent")));

    /// <summary>The same first iteration of a tiny MFM run with and without <see cref="TrainerConfig.CpuMixedPrecision"/>:
    /// where the CPU multiplies bfloat16 natively the loss moves by bfloat16's rounding (8 bits of mantissa; the MFM loss
    /// averages it away to a few parts per million here, and never by 5 %); elsewhere the setting must not take effect,
    /// and the loss is the same bits.</summary>
    [Fact]
    public void CpuMixedPrecisionRunsBFloat16ProductsOnlyWhereTheCpuHasThem()
    {
        double Loss(bool cpuBFloat16)
        {
            var (method, loader, config) = TinyRun.Create(_folders.New("folk-cpu-bf16-"));
            using var module = method.Checkpointed;
            using var batch = loader.Epoch(0).First();
            using var step = new OptimizationStep(method, config with { CpuMixedPrecision = cpuBFloat16 }, 8);
            using var iteration = step.Run(batch, 0, 1e-3);
            return iteration.Loss;
        }

        double float32 = Loss(false), mixed = Loss(true);
        double relative = Math.Abs(mixed - float32) / float32;
        if (CpuBFloat16.IsNative)
        {
            Assert.NotEqual(float32, mixed);                 // float32 runs of one seed are bit-identical (the else branch)
            Assert.InRange(relative, 0, 5e-2);
        }
        else
            Assert.Equal(float32, mixed);
    }
}
