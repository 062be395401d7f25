namespace Folk.Lab.Data.Transforms;

/// <summary>
/// Continuous draws from a <see cref="Random"/>, for the transforms whose randomness must all come from the generator
/// the loader seeds per sample (<see cref="IImageTransform"/>) or the one the training loop passes in.
/// </summary>
internal static class RandomVariates
{
    /// <summary>Uniform on [min, max) (Python's <c>random.uniform</c>: <c>min + (max − min)·u</c>).</summary>
    public static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();

    /// <summary>Normal(mean, std) by the Box–Muller transform.</summary>
    public static double Normal(Random random, double mean, double std)
    {
        double u1 = 1.0 - random.NextDouble();                       // (0, 1]: the logarithm stays finite
        double u2 = random.NextDouble();
        return mean + std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang's method; shapes below 1 through <c>Gamma(k + 1)·U^(1/k)</c>.</summary>
    public static double Gamma(Random random, double shape)
    {
        if (!(shape > 0 && double.IsFinite(shape))) throw new ArgumentOutOfRangeException(nameof(shape), shape, $"shape must be finite and > 0; got {shape}.");
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(1.0 - random.NextDouble(), 1.0 / shape);
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x = Normal(random, 0, 1), v = 1.0 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>Beta(a, b) as <c>X / (X + Y)</c> with X ~ Gamma(a), Y ~ Gamma(b) (NumPy's method for a, b > 1; exact
    /// in distribution for all a, b).</summary>
    public static double Beta(Random random, double a, double b)
    {
        while (true)
        {
            double x = Gamma(random, a), y = Gamma(random, b);
            if (x + y > 0) return x / (x + y);                       // both underflow only for tiny shapes
        }
    }
}
