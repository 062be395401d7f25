namespace Folk.Lab.Runtime;

/// <summary>
/// Whether this CPU multiplies bfloat16 natively (the <c>avx512_bf16</c> or <c>amx_bf16</c> flag of
/// <c>/proc/cpuinfo</c>). Where it does, oneDNN runs libtorch's bfloat16 matrix products at several times the float32
/// rate (608 against 155 GFLOP/s for 2048² products on two cores of an AVX-512 BF16 EPYC, <c>folk-lab bench pretrain
/// --bf16</c>); where it does not, bfloat16 is emulated and slower than float32, so
/// <see cref="Training.TrainerConfig.CpuMixedPrecision"/> only takes effect here. On systems without
/// <c>/proc/cpuinfo</c> the answer is no.
/// </summary>
public static class CpuBFloat16
{
    /// <summary>The flags that announce native bfloat16 products.</summary>
    public static readonly IReadOnlyList<string> Flags = ["avx512_bf16", "amx_bf16"];

    static readonly Lazy<bool> Native = new(() => FromCpuInfo("/proc/cpuinfo"));

    /// <summary>Whether this machine's CPU multiplies bfloat16 natively.</summary>
    public static bool IsNative => Native.Value;

    /// <summary>Reads a <c>/proc/cpuinfo</c>-formatted file: true when a <c>flags</c> line names one of
    /// <see cref="Flags"/>; false when the file is missing or names none.</summary>
    public static bool FromCpuInfo(string path)
    {
        if (!File.Exists(path)) return false;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("flags", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            var flags = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return flags.Any(Flags.Contains);
        }
        return false;
    }
}
