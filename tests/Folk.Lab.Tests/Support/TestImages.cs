using Folk.Lab.Data;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Support;

/// <summary>Deterministic inputs for the numerical tests.</summary>
public static class TestImages
{
    /// <summary>Dead-leaves images: natural-image-like spectra, values in [0,1].</summary>
    public static Tensor Natural(int count, int size, long seed = 1)
    {
        using var g = new Generator((ulong)seed);
        return DeadLeaves.Generate(count, size, g, new DeadLeavesOptions { Leaves = 150 });
    }

    /// <summary>Uniform noise in [0,1] of any shape (odd and non-square sizes included).</summary>
    public static Tensor Uniform(long[] shape, long seed = 2, ScalarType dtype = ScalarType.Float32)
    {
        using var g = new Generator((ulong)seed);
        return rand(shape, dtype: dtype, generator: g);
    }

    /// <summary>Standard normal values of any shape.</summary>
    public static Tensor Normal(long[] shape, long seed = 3)
    {
        using var g = new Generator((ulong)seed);
        return randn(shape, generator: g);
    }
}
