namespace Folk.Lab.Interactive;

/// <summary>
/// The check cells of the notebooks: a claim that must hold at any scale, which stops the notebook when it does not
/// (so that running a notebook is a test) and shows a tick when it does.
/// </summary>
public static class Check
{
    /// <summary>Throws <see cref="CheckFailedException"/> unless <paramref name="condition"/> holds.</summary>
    public static CheckResult That(bool condition, string claim)
    {
        if (!condition) throw new CheckFailedException(claim);
        return new CheckResult(claim);
    }

    /// <summary>Checks <c>|actual − expected| ≤ tolerance·|expected|</c> and says by how much it held.</summary>
    public static CheckResult Close(double expected, double actual, double tolerance, string claim)
    {
        double error = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
        if (!(error <= tolerance))
            throw new CheckFailedException($"{claim}: expected {expected:g6}, got {actual:g6} (relative error {error:g3} > {tolerance:g2})");
        return new CheckResult($"{claim} (expected {expected:g6}, got {actual:g6}, relative error {error:g2})");
    }
}

/// <summary>A claim that held.</summary>
public sealed record CheckResult(string Claim)
{
    /// <inheritdoc/>
    public override string ToString() => "✓ " + Claim;
}

/// <summary>A notebook claim that did not hold.</summary>
public sealed class CheckFailedException(string claim) : Exception("Check failed: " + claim);
