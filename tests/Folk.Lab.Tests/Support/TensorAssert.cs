using static TorchSharp.torch;

namespace Folk.Lab.Tests.Support;

/// <summary>Tensor comparisons whose failure messages say by how much and where.</summary>
public static class TensorAssert
{
    /// <summary>
    /// <c>max|actual − expected| ≤ tolerance · max|expected|</c>: the error relative to the scale of the tensor, the
    /// meaningful measure for FFT outputs, whose small entries carry absolute rounding of the large ones.
    /// </summary>
    public static void CloseRelativeToMax(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.to(ScalarType.Float64).cpu();
        using var a = actual.to(ScalarType.Float64).cpu();
        using var diff = (a - e).abs();
        double maxDiff = diff.max().item<double>();
        double scale = e.abs().max().item<double>();
        long at = diff.flatten().argmax().item<long>();
        Assert.True(maxDiff <= tolerance * scale,
            $"{what}: max |Δ| = {maxDiff:g4} at flat index {at} exceeds {tolerance:g2} × max|expected| = {tolerance * scale:g4}.");
    }

    /// <summary><c>|actual − expected| ≤ tolerance · |expected|</c> for a scalar.</summary>
    public static void CloseRelative(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R}, relative error {error:g3} > {tolerance:g2}.");
    }

    /// <summary>Exact equality of two tensors (masks, integer maps), reporting how many entries differ.</summary>
    public static void Equal(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.to(ScalarType.Float64).cpu();
        using var a = actual.to(ScalarType.Float64).cpu();
        using var differ = a.ne(e);
        long count = differ.sum().item<long>();
        Assert.True(count == 0, $"{what}: {count} of {e.numel()} entries differ.");
    }
}
