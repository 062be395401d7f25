using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// The diamond-square plasma fractal behind ImageNet-C's fog (hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c>, <c>plasma_fractal</c>, itself a modification of FLHerne/mapgen
/// <c>diamondsquare.py</c>): a periodic N×N height map in [0, 1] whose roughness falls by <c>decay</c> per octave.
/// </summary>
/// <remarks>
/// Starting from a single 0 at (0, 0) with step s = N and wibble w = 100, each octave fills the square centres
/// (s/2, s/2) + s·ℤ² with the mean of their four corners, then the two diamond lattices (0, s/2) and (s/2, 0), each
/// value being <c>sum/4 + w·U(−w, w)</c>, with neighbours read periodically (<c>np.roll</c>); then s halves and
/// w divides by <c>decay</c>. The map is finally shifted to minimum 0 and divided by its maximum. The randomness is the
/// uniform numbers of <see cref="DrawShapes"/>, three per octave (squares, diamonds of rows, diamonds of columns),
/// taken in [0, 1) and mapped to U(−w, w) as numpy's <c>uniform(low, high)</c> maps them: low + (high − low)·u.
/// Everything is float64, as in the original, and the arithmetic follows its order, so given the same uniforms
/// the maps agree to the last bit.
/// </remarks>
public static class PlasmaFractal
{
    /// <summary>The side of each octave's draw: 1, 2, 4, …, N/2 — each used three times, in that order.</summary>
    public static IReadOnlyList<long> DrawShapes(long mapSize)
    {
        if (mapSize < 2 || (mapSize & (mapSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(mapSize), mapSize, "The map side must be a power of two >= 2.");
        var sides = new List<long>();
        for (long step = mapSize; step >= 2; step /= 2) sides.Add(mapSize / step);
        return sides;
    }

    /// <summary>Draws the uniforms for <paramref name="batch"/> maps from <paramref name="generator"/> and builds them.</summary>
    public static Tensor Sample(long batch, long mapSize, double decay, Generator generator)
    {
        using var scope = NewDisposeScope();
        var draws = new List<Tensor>();
        foreach (var side in DrawShapes(mapSize))
            for (int k = 0; k < 3; k++)
                draws.Add(rand(new[] { batch, side, side }, dtype: ScalarType.Float64, generator: generator));
        return FromUniforms(draws, mapSize, decay).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Builds B maps from the uniforms in [0, 1): for each octave in turn three B×m×m float64 tensors (m = 1, 2, …,
    /// N/2; see <see cref="DrawShapes"/>).
    /// </summary>
    /// <returns>B×N×N float64 in [0, 1].</returns>
    public static Tensor FromUniforms(IReadOnlyList<Tensor> uniforms, long mapSize, double decay)
    {
        var sides = DrawShapes(mapSize);
        Guard.Positive(decay, nameof(decay));
        if (uniforms.Count != 3 * sides.Count)
            throw new ArgumentException($"A {mapSize}² map takes {3 * sides.Count} uniform draws (three per octave); got {uniforms.Count}.", nameof(uniforms));
        long batch = uniforms[0].shape[0];
        for (int i = 0; i < uniforms.Count; i++)
        {
            long side = sides[i / 3];
            if (!uniforms[i].shape.SequenceEqual(new[] { batch, side, side }) || uniforms[i].dtype != ScalarType.Float64)
                throw new ArgumentException($"uniforms[{i}] must be a float64 {batch}×{side}×{side} tensor; got {uniforms[i].dtype} [{string.Join(", ", uniforms[i].shape)}].", nameof(uniforms));
        }

        using var scope = NewDisposeScope();
        // Every scalar is held for the whole loop: a temporary one (a literal, or the alpha 1 that Tensor + Tensor
        // passes) can be finalised while libtorch still reads it, and once did in this loop on a 224² map.
        using Scalar one = 1, four = 4.0;
        Tensor Plus(Tensor a, Tensor b) => a.add(b, one);
        var map = zeros(new[] { batch, mapSize, mapSize }, dtype: ScalarType.Float64, device: uniforms[0].device);
        double wibble = 100;
        int next = 0;
        for (long step = mapSize; step >= 2; step /= 2)
        {
            long half = step / 2;
            var all = TensorIndex.Colon;
            TensorIndex On(long start) => TensorIndex.Slice(start, null, step);
            using Scalar span = 2 * wibble, low = -wibble, scale = wibble;
            Tensor Wibbled(Tensor sum, Tensor u) => Plus(sum.div(four), u.mul(span).add(low, one).mul(scale));

            var corners = map[all, On(0), On(0)];
            var squares = Plus(corners, corners.roll(-1, 1));
            squares = Plus(squares, squares.roll(-1, 2));
            map[all, On(half), On(half)] = Wibbled(squares, uniforms[next++]);

            var centres = map[all, On(half), On(half)];
            corners = map[all, On(0), On(0)];
            var rowDiamonds = Plus(Plus(centres, centres.roll(1, 1)), Plus(corners, corners.roll(-1, 2)));
            map[all, On(0), On(half)] = Wibbled(rowDiamonds, uniforms[next++]);
            var columnDiamonds = Plus(Plus(centres, centres.roll(1, 2)), Plus(corners, corners.roll(-1, 1)));
            map[all, On(half), On(0)] = Wibbled(columnDiamonds, uniforms[next++]);
            wibble /= decay;
        }
        map = map - map.amin(new long[] { 1, 2 }, keepdim: true);
        return (map / map.amax(new long[] { 1, 2 }, keepdim: true)).MoveToOuterDisposeScope();
    }
}
