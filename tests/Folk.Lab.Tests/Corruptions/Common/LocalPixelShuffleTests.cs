using Folk.Lab.Corruptions.Common;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Corruptions.Common;

/// <summary><see cref="LocalPixelShuffle"/>: the visiting order and the copy the published "swap" performs.</summary>
public class LocalPixelShuffleTests
{
    [Fact]
    public void VisitsFromTheBottomRightAndCopiesRatherThanSwaps()
    {
        // 4×4, δ = 1: rows and columns 3 and 2 are visited, (3,3), (3,2), (2,3), (2,2); every draw is (dx, dy) = (−1, −1)
        using var x = arange(16, dtype: ScalarType.Byte).reshape(1, 1, 4, 4).repeat(1, 3, 1, 1);
        using var offsets = full(new long[] { 1, 1, 2, 2, 2 }, -1L, dtype: ScalarType.Int64);
        using var y = LocalPixelShuffle.Apply(x, offsets, 1);
        byte At(Tensor t, int h, int w) => t[0, 2, h, w].item<byte>();
        Assert.Equal(At(x, 2, 2), At(y, 3, 3));      // (3,3) took (2,2) before (2,2) was visited
        Assert.Equal(At(x, 2, 1), At(y, 3, 2));
        Assert.Equal(At(x, 1, 2), At(y, 2, 3));
        Assert.Equal(At(x, 1, 1), At(y, 2, 2));
        Assert.Equal(At(x, 1, 1), At(y, 1, 1));      // a swap would have left (3,3)'s old value here
        Assert.Equal(At(x, 0, 0), At(y, 0, 0));
    }

    [Fact]
    public void DrawsStayInsideTheHalfOpenRangeAndCoverIt()
    {
        using var offsets = LocalPixelShuffle.SampleOffsets(2, 32, 3, 2, new Generator(1));
        Assert.Equal(new long[] { 2, 2, 26, 26, 2 }, offsets.shape);
        Assert.Equal(-3, offsets.min().item<long>());
        Assert.Equal(2, offsets.max().item<long>());
    }
}
