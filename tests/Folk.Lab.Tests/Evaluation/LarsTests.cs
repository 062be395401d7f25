using Folk.Lab.Training.Optim;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Evaluation;

public class LarsTests
{
    [Fact]
    public void TwoStepsMatchTheFormulaForMatricesAndVectors()
    {
        // MAE util/lars.py by hand, in double precision: matrices get d = g + wd·p scaled by η‖p‖/‖d‖; vectors get d = g
        double wd = 0.1, m = 0.9, eta = 0.001, lr = 0.5;
        double[] w = { 1, -2, 0.5, 3 }, b = { 0.2, -0.1 };
        double[][] gw = { new[] { 0.3, 0.1, -0.2, 0.4 }, new[] { -0.1, 0.2, 0.3, 0.1 } };
        double[][] gb = { new[] { 0.5, -0.5 }, new[] { 0.1, 0.2 } };
        var weight = tensor(w, ScalarType.Float64).view(2, 2).requires_grad_(true);
        var bias = tensor(b, ScalarType.Float64).requires_grad_(true);
        using var lars = new Lars(new[] { ("w", weight), ("b", bias) }, weightDecay: wd, momentum: m, trustCoefficient: eta);
        double[] muW = new double[4], muB = new double[2];
        for (int step = 0; step < 2; step++)
        {
            weight.grad = tensor(gw[step], ScalarType.Float64).view(2, 2);
            bias.grad = tensor(gb[step], ScalarType.Float64);
            lars.Step(lr);
            var d = w.Select((p, i) => gw[step][i] + wd * p).ToArray();
            double ratio = eta * Math.Sqrt(w.Sum(p => p * p)) / Math.Sqrt(d.Sum(x => x * x));
            for (int i = 0; i < 4; i++) { muW[i] = m * muW[i] + ratio * d[i]; w[i] -= lr * muW[i]; }
            for (int i = 0; i < 2; i++) { muB[i] = m * muB[i] + gb[step][i]; b[i] -= lr * muB[i]; }
        }
        Assert.Equal(w, weight.detach().data<double>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(b, bias.detach().data<double>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void AZeroWeightOrGradientKeepsTheTrustRatioAtOne()
    {
        var weight = zeros(new long[] { 2, 2 }, ScalarType.Float64).requires_grad_(true);
        using var lars = new Lars(new[] { ("w", weight) }, weightDecay: 0, momentum: 0);
        weight.grad = ones(new long[] { 2, 2 }, ScalarType.Float64);
        lars.Step(0.1);
        Assert.Equal(-0.1, weight.detach()[0, 0].item<double>(), 12);
    }
}
