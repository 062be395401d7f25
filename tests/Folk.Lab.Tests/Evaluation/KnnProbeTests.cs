using Folk.Lab.Evaluation;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

public class KnnProbeTests
{
    [Fact]
    public void WeightedVotesOfTheCosineNearestNeighboursDecide()
    {
        // train: three class-0 points near +x, two class-1 points near +y (lengths differ: only the angle counts)
        using var train = new Features(tensor(new float[] { 1, 0, 5, 0.5f, 2, -0.2f, 0, 1, 0.1f, 3 }).view(5, 2), tensor(new long[] { 0, 0, 0, 1, 1 }));
        // test 0 is on +x; test 1 is at 60° from +x: with k = 3 its neighbours are both class-1 points and the closest
        // class-0 point, and the weights exp(cos/T) make the class-1 pair win
        using var test = new Features(tensor(new float[] { 3, 0, 0.5f, (float)Math.Sqrt(3) / 2 }).view(2, 2), tensor(new long[] { 0, 1 }));
        Assert.Equal(1.0, KnnProbe.Evaluate(train, test, new KnnProbeOptions { K = 3 }));

        // by hand for test 1 with k = 3 and T = 0.07
        double Cos(double ax, double ay, double bx, double by) => (ax * bx + ay * by) / Math.Sqrt((ax * ax + ay * ay) * (bx * bx + by * by));
        double w1 = Math.Exp(Cos(0.5, 0.866, 0, 1) / 0.07) + Math.Exp(Cos(0.5, 0.866, 0.1, 3) / 0.07);
        double w0 = Math.Exp(Cos(0.5, 0.866, 5, 0.5) / 0.07);
        Assert.True(w1 > w0);
        // with a label flipped in the test set, accuracy halves
        using var wrong = new Features(test.Values.clone(), tensor(new long[] { 0, 0 }));
        Assert.Equal(0.5, KnnProbe.Evaluate(train, wrong, new KnnProbeOptions { K = 3 }));
    }
}
