using Folk.Lab.Corruptions.Common;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary><see cref="PlasmaFractal"/> against ImageNet-C's <c>plasma_fractal</c> (reference/python/imagenet_c_weather.py)
/// fed the same uniforms.</summary>
public class PlasmaFractalTests
{
    // Same float64 operations in the same order on the same numbers: the maps must agree to the last bit.
    [ImageNetCReferenceTheory]
    [InlineData(256, 2.0)]
    [InlineData(256, 1.4)]
    [InlineData(32, 3.0)]
    [InlineData(32, 1.75)]
    public void MatchesImageNetCBitForBitGivenTheSameUniforms(long mapSize, double decay)
    {
        using var g = new Generator(8);
        var draws = new List<Tensor>();
        foreach (var side in PlasmaFractal.DrawShapes(mapSize))
            for (int k = 0; k < 3; k++) draws.Add(rand(new[] { 2L, side, side }, dtype: ScalarType.Float64, generator: g));
        using var ours = PlasmaFractal.FromUniforms(draws, mapSize, decay);
        var inputs = new Dictionary<string, Tensor> { ["images"] = zeros(1, 3, 1, 1) };
        for (int i = 0; i < draws.Count; i++) inputs[$"u{i}"] = draws[i];
        using var theirs = PyTorchReference.Call("imagenet_c/weather/plasma_fractal", inputs, new { mapsize = mapSize, decay })["out"];
        TensorAssert.Equal(theirs, ours, $"plasma {mapSize}² decay {decay}");
        foreach (var d in draws) d.Dispose();
    }

    [Fact]
    public void MapsSpanZeroToOneAndRoughenAsTheDecayFalls()
    {
        using var smooth = PlasmaFractal.Sample(4, 256, 3.0, new Generator(2));
        using var rough = PlasmaFractal.Sample(4, 256, 1.4, new Generator(2));
        Assert.Equal(new long[] { 4, 256, 256 }, smooth.shape);
        foreach (var map in new[] { smooth, rough })
        {
            Assert.Equal(0.0, map.amin(new long[] { 1, 2 }).max().item<double>());
            Assert.Equal(1.0, map.amax(new long[] { 1, 2 }).min().item<double>());
        }
        // neighbour differences: a smaller decay keeps more of the wibble at the fine octaves
        double Roughness(Tensor m) => (m[.., 1..] - m[.., ..^1]).abs().mean().item<double>();
        Assert.True(Roughness(rough) > 2 * Roughness(smooth), $"{Roughness(rough):g3} vs {Roughness(smooth):g3}");
    }
}
