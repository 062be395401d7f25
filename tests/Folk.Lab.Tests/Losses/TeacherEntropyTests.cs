using Folk.Lab.Losses;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Losses;

public class TeacherEntropyTests
{
    [Fact]
    public void BothCollapsesCarryNoInformationAndDistinctTargetsCarryLnN()
    {
        const int k = 8;
        // uniform collapse: every row uniform
        var uniform = TeacherEntropy.Of(full(5, k, 1.0 / k));
        Assert.Equal(Math.Log(k), uniform.PerImage, 12);
        Assert.Equal(Math.Log(k), uniform.OfBatchMean, 12);
        Assert.Equal(0, uniform.Information, 12);
        Assert.Equal(Math.Log(k), uniform.Maximum, 12);

        // one-prototype collapse: every row the same one-hot (0·ln 0 counts as 0, not NaN)
        using var same = zeros(5, k);
        same[.., 3] = tensor(1f);
        var oneHot = TeacherEntropy.Of(same);
        Assert.Equal(0, oneHot.PerImage, 12);
        Assert.Equal(0, oneHot.OfBatchMean, 12);
        Assert.Equal(0, oneHot.Information, 12);

        // four images, each sent with certainty to its own prototype: ln 4 nats about the image
        using var distinct = eye(4, k);
        var spread = TeacherEntropy.Of(distinct);
        Assert.Equal(0, spread.PerImage, 12);
        Assert.Equal(Math.Log(4), spread.OfBatchMean, 12);
        Assert.Equal(Math.Log(4), spread.Information, 12);
    }

    [Fact]
    public void MatchesTheDefinitionOnRandomDistributions()
    {
        using var g = new Generator(7);
        using var p = softmax(randn(new long[] { 6, 5 }, generator: g) * 2, -1);
        var rows = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 5).Select(j => (double)p[i, j].item<float>()).ToArray()).ToArray();
        static double H(IEnumerable<double> q) => -q.Sum(x => x * Math.Log(x));
        double perImage = rows.Average(H);
        double ofMean = H(Enumerable.Range(0, 5).Select(j => rows.Average(r => r[j])));
        var entropy = TeacherEntropy.Of(p);
        Assert.Equal(perImage, entropy.PerImage, 5);
        Assert.Equal(ofMean, entropy.OfBatchMean, 5);
        Assert.True(entropy.Information > 0);
        Assert.True(entropy.OfBatchMean <= entropy.Maximum);
    }

    [Fact]
    public void RowsThatAreNotDistributionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => TeacherEntropy.Of(ones(3, 4)));
        Assert.Throws<ArgumentException>(() => TeacherEntropy.Of(full(2, 2, 0.5).view(4)));
        Assert.Throws<ArgumentException>(() => TeacherEntropy.Of(tensor(new float[] { 1.5f, -0.5f }).view(1, 2)));
    }
}
