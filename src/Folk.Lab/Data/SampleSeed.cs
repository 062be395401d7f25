namespace Folk.Lab.Data;

/// <summary>
/// Seeds derived from (seed, epoch, index, …) with SplitMix64 mixing: every sample, epoch and step gets its own
/// reproducible random stream, whatever thread or process computes it, with no RNG state to carry around.
/// </summary>
public static class SampleSeed
{
    /// <summary>A 64-bit seed mixing all <paramref name="parts"/>.</summary>
    public static ulong Of(params long[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var part in parts) h = Mix(h ^ (ulong)part);
        return h;
    }

    /// <summary>A <see cref="Random"/> seeded from the parts.</summary>
    public static Random Random(params long[] parts) => new(unchecked((int)(Of(parts) >> 33)));

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
