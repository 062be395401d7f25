namespace Folk.Lab.Frequency;

/// <summary>A power law <c>P(f) = exp(Intercept) · f^Slope</c> fitted in log–log space.</summary>
/// <param name="Slope">The exponent; about −2 for the power spectrum of natural images.</param>
/// <param name="Intercept">Natural log of the amplitude at f = 1.</param>
/// <param name="RSquared">Coefficient of determination of the log–log fit.</param>
/// <param name="Points">How many (f, P) pairs the fit used.</param>
public sealed record PowerLaw(double Slope, double Intercept, double RSquared, int Points)
{
    /// <summary>The fitted power at frequency <paramref name="f"/>.</summary>
    public double Evaluate(double f) => Math.Exp(Intercept) * Math.Pow(f, Slope);
}

/// <summary>Ordinary least squares of <c>log P</c> on <c>log f</c>.</summary>
public static class PowerLawFit
{
    /// <summary>
    /// Fits the points with <paramref name="minRadius"/> ≤ f ≤ <paramref name="maxRadius"/>, f &gt; 0 and P &gt; 0
    /// (zero frequency and empty rings have no logarithm and are skipped).
    /// </summary>
    public static PowerLaw Fit(IReadOnlyList<double> frequencies, IReadOnlyList<double> power,
                               double minRadius = 1, double maxRadius = double.PositiveInfinity)
    {
        if (frequencies.Count != power.Count)
            throw new ArgumentException(
                $"frequencies and power must have the same length; got {frequencies.Count} and {power.Count}.", nameof(power));
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < frequencies.Count; i++)
        {
            double f = frequencies[i], p = power[i];
            if (f <= 0 || p <= 0 || f < minRadius || f > maxRadius || double.IsNaN(p)) continue;
            xs.Add(Math.Log(f));
            ys.Add(Math.Log(p));
        }
        if (xs.Count < 2)
            throw new ArgumentException(
                $"A power-law fit needs at least two points with f in [{minRadius}, {maxRadius}], f > 0 and P > 0; found {xs.Count}.",
                nameof(frequencies));

        double mx = xs.Average(), my = ys.Average(), sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            double dx = xs[i] - mx, dy = ys[i] - my;
            sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
        }
        double slope = sxy / sxx, intercept = my - slope * mx;
        double rSquared = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        return new PowerLaw(slope, intercept, rSquared, xs.Count);
    }
}
