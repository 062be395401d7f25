using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary>The two resamplers of the elastic transform against the libraries they restate: OpenCV and scipy.</summary>
public class ElasticComponentsTests
{
    static Dictionary<string, Tensor> Call(string name, Dictionary<string, Tensor> inputs, object? parameters = null) =>
        PyTorchReference.Call($"imagenet_c/filters/{name}", inputs, parameters);

    [Fact]
    public void AffineFromPointsSendsTheThreePointsWhereAsked()
    {
        (float X, float Y)[] from = [(186, 186), (186, 38), (38, 38)];
        (float X, float Y)[] to = [(190.5f, 181.25f), (180, 41), (40, 30)];
        var m = AffineWarp.FromPoints(from, to);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(to[k].X, m[0] * from[k].X + m[1] * from[k].Y + m[2], 9);
            Assert.Equal(to[k].Y, m[3] * from[k].X + m[4] * from[k].Y + m[5], 9);
        }
        Assert.Throws<ArgumentException>(() => AffineWarp.FromPoints([(0, 0), (1, 1), (2, 2)], to));
    }

    [ImageNetCReferenceFact]
    public void AffineFromPointsEqualsGetAffineTransform()
    {
        using var g = new Generator(3);
        using var source = tensor(new float[] { 186, 186, 186, 38, 38, 38 }, new long[] { 3, 2 });
        using var destination = source + (rand(new long[] { 8, 3, 2 }, generator: g) * 2 - 1) * 48.8f;
        var reference = Call("affine_matrix", new() { ["source"] = source, ["destination"] = destination });
        using var d = destination.contiguous();
        var all = d.data<float>().ToArray();
        (float, float)[] from = [(186, 186), (186, 38), (38, 38)];
        var ours = new double[8 * 6];
        for (int i = 0; i < 8; i++)
            AffineWarp.FromPoints(from, [(all[i * 6], all[i * 6 + 1]), (all[i * 6 + 2], all[i * 6 + 3]), (all[i * 6 + 4], all[i * 6 + 5])]).CopyTo(ours, i * 6);
        // the same LU elimination in float64: equal to float64 rounding
        TensorAssert.CloseRelativeToMax(reference["matrices"], tensor(ours, new long[] { 8, 2, 3 }), 1e-13, "getAffineTransform");
    }

    [ImageNetCReferenceFact]
    public void WarpEqualsWarpAffineWithReflect101Borders()
    {
        using var g = new Generator(4);
        using var x = TestImages.Natural(6, 40, seed: 4);
        // rotations, shears and shifts large enough to read far outside the image, several times over
        var matrices = new List<double[]>
        {
            new[] { 1.0, 0, 0, 0, 1.0, 0 },
            new[] { 0.93, -0.2, 3.7, 0.25, 1.05, -2.3 },
            new[] { 1.2, 0.1, -30.25, -0.05, 0.8, 45.5 },
            new[] { -1.0, 0, 39, 0, 1, 0 },
            new[] { 0.5, 0.5, 100.3, -0.5, 0.5, -77.7 },
            new[] { 1.0, 0, 0.5, 0, 1.0, -0.25 },                             // exact half and quarter pixels
        };
        using var ours = AffineWarp.Apply(x, matrices);
        using var m = tensor(matrices.SelectMany(r => r).ToArray(), new long[] { 6, 2, 3 });
        var reference = Call("warp_affine", new() { ["images"] = x, ["matrices"] = m });
        // the same 1/32-pixel positions, the same float32 weights, the same float32 sums in the same order: bit-exact
        TensorAssert.Equal(reference["out"], ours, "warpAffine INTER_LINEAR, BORDER_REFLECT_101");
    }

    [Fact]
    public void WarpByTheIdentityReturnsTheImageAndAWholePixelShiftMovesIt()
    {
        using var x = TestImages.Natural(1, 16, seed: 2);
        using var same = AffineWarp.Apply(x, [new[] { 1.0, 0, 0, 0, 1.0, 0 }]);
        TensorAssert.Equal(x, same, "identity");
        using var shifted = AffineWarp.Apply(x, [new[] { 1.0, 0, 3, 0, 1.0, 0 }]);    // dst(x) = src(x − 3)
        TensorAssert.Equal(x[.., .., .., 0..13], shifted[.., .., .., 3..16], "shifted by three columns");
        // reflect-101 beyond the left edge: column −k reads column k
        TensorAssert.Equal(x[.., .., .., 1..4].flip(3), shifted[.., .., .., 0..3], "mirrored border");
    }

    [ImageNetCReferenceFact]
    public void MapCoordinatesEqualsScipyWithReflectBordersFarOutside()
    {
        using var g = new Generator(5);
        using var x = TestImages.Natural(2, 12, seed: 5);
        // coordinates from −40 to 52 on a 12-pixel image: every fold of the reflect rule, plus exact integers,
        // exact half pixels and values just below zero
        using var rows = rand(new long[] { 2, 30, 30 }, dtype: ScalarType.Float64, generator: g) * 92 - 40;
        using var columns = rand(new long[] { 2, 30, 30 }, dtype: ScalarType.Float64, generator: g) * 92 - 40;
        rows[0, 0] = tensor(new double[] { -1e-20, -1e-16, -0.5, -1, -12, -12.5, -24, 11, 11.5, 12, 23.5, 24, 0, 3, -3, 5.5, -23.99, 35.9, 36, -36.5, 47.25, 11.999999, -0.999999, 0.25, 6, 7, 8, 9, 10, 1 });
        using var ours = CoordinateMap.Linear(x, rows, columns);
        var reference = Call("map_coordinates", new() { ["images"] = x, ["rows"] = rows, ["columns"] = columns });
        // the same folds, the same float64 products summed in scipy's order, one rounding to float32: bit-exact
        TensorAssert.Equal(reference["out"], ours, "map_coordinates order 1, reflect");
    }

    [Fact]
    public void MapCoordinatesAtIntegerPositionsReadsThePixelsAndReflectsAboutTheEdges()
    {
        using var x = TestImages.Natural(1, 8, seed: 6);
        using var grid = arange(8, dtype: ScalarType.Float64);
        using var rows = grid.view(1, 8, 1).expand(1, 8, 8).contiguous();
        using var columns = grid.view(1, 1, 8).expand(1, 8, 8).contiguous();
        using var same = CoordinateMap.Linear(x, rows, columns);
        TensorAssert.Equal(x, same, "integer coordinates");
        // the image extended symmetrically about its outer edges: column −1 − k reads column k, so −0.5 reads column 0
        using var mirrored = CoordinateMap.Linear(x, rows, -1 - columns);
        TensorAssert.CloseRelativeToMax(x, mirrored, 1e-7, "reflected");
        using var half = CoordinateMap.Linear(x, rows, full_like(columns, -0.5));
        TensorAssert.CloseRelativeToMax(x[.., .., .., 0..1].expand(1, 3, 8, 8), half, 1e-7, "−0.5 reads the edge pixel");
    }
}
