using Folk.Lab.Data.Transforms;
using Folk.Lab.Losses;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Losses;

/// <summary>The fine-tuning losses: timm's SoftTargetCrossEntropy and LabelSmoothingCrossEntropy.</summary>
public class ClassificationLossTests
{
    static double LogSumExp(double[] row) { double m = row.Max(); return m + Math.Log(row.Sum(v => Math.Exp(v - m))); }

    [Fact]
    public void SoftTargetCrossEntropyIsTheMeanOverTheBatchOfTheTargetWeightedLogLoss()
    {
        var x = new[] { new[] { 2.0, -1.0, 0.5 }, new[] { 0.0, 3.0, -2.0 } };
        var t = new[] { new[] { 0.7, 0.2, 0.1 }, new[] { 0.0, 0.25, 0.75 } };
        using var logits = tensor(x.SelectMany(r => r).Select(v => (float)v).ToArray(), new long[] { 2, 3 });
        using var targets = tensor(t.SelectMany(r => r).Select(v => (float)v).ToArray(), new long[] { 2, 3 });
        double expected = Enumerable.Range(0, 2).Average(b => Enumerable.Range(0, 3).Sum(k => -t[b][k] * (x[b][k] - LogSumExp(x[b]))));
        using var loss = SoftTargetCrossEntropy.Compute(logits, targets);
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => SoftTargetCrossEntropy.Compute(logits, targets.narrow(1, 0, 2)));
    }

    [Fact]
    public void LabelSmoothingCrossEntropyFollowsTimmsFormulaAndEqualsTheSoftTargetLossOfMixupsTargets()
    {
        var x = new[] { new[] { 1.0, 0.0, -1.0, 2.0 }, new[] { -0.5, 0.5, 1.5, 0.0 } };
        var y = new long[] { 3, 0 };
        using var logits = tensor(x.SelectMany(r => r).Select(v => (float)v).ToArray(), new long[] { 2, 4 });
        using var labels = tensor(y);
        double Expected(double eps) => Enumerable.Range(0, 2).Average(b =>
        {
            var logp = x[b].Select(v => v - LogSumExp(x[b])).ToArray();
            return (1 - eps) * -logp[y[b]] + eps * -logp.Average();
        });
        using var smoothed = LabelSmoothingCrossEntropy.Compute(logits, labels, 0.1);
        Assert.Equal(Expected(0.1), smoothed.item<float>(), 5);
        using var plain = LabelSmoothingCrossEntropy.Compute(logits, labels, 0);
        using var reference = nn.functional.cross_entropy(logits, labels);
        Assert.Equal(reference.item<float>(), plain.item<float>(), 5);
        // (1 − ε)·onehot + ε/K is Mixup's target at λ = 1: off ε/K, on 1 − ε + ε/K.
        using var targets = Mixup.Targets(labels, 1.0, 4, 0.1);
        using var soft = SoftTargetCrossEntropy.Compute(logits, targets);
        Assert.Equal(soft.item<float>(), smoothed.item<float>(), 5);
        using var outOfRange = tensor(new long[] { 0, 4 });
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelSmoothingCrossEntropy.Compute(logits, outOfRange));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelSmoothingCrossEntropy.Compute(logits, labels, 1.0));
    }

    // Both sides run log_softmax and a sum over float32 in libtorch (2.10 here, 1.13 in Debian's PyTorch): they agree
    // to float32 rounding, 1e-6 of the loss and of the largest gradient entry.
    [PyTorchFact]
    public void BothLossesAndTheirGradientsMatchPyTorch()
    {
        using var g = new Generator(13);
        using var x = randn(new long[] { 8, 10 }, generator: g) * 3;
        using var labels = randint(0, 10, new long[] { 8 }, generator: g);
        using var targets = Mixup.Targets(labels, 0.62, 10, 0.1);

        using var softX = x.clone().requires_grad_(true);
        using var soft = SoftTargetCrossEntropy.Compute(softX, targets);
        soft.backward();
        var theirs = PyTorchReference.Call("soft_target_ce", new Dictionary<string, Tensor> { ["logits"] = x, ["target"] = targets });
        TensorAssert.CloseRelative(theirs["loss"].item<float>(), soft.item<float>(), 1e-6, "soft-target loss");
        TensorAssert.CloseRelativeToMax(theirs["grad"], softX.grad!, 1e-6, "soft-target gradient");

        using var smoothX = x.clone().requires_grad_(true);
        using var smooth = LabelSmoothingCrossEntropy.Compute(smoothX, labels, 0.1);
        smooth.backward();
        var torch = PyTorchReference.Call("label_smoothing_ce", new Dictionary<string, Tensor> { ["logits"] = x, ["labels"] = labels }, new { smoothing = 0.1 });
        TensorAssert.CloseRelative(torch["loss"].item<float>(), smooth.item<float>(), 1e-6, "label-smoothing loss");
        TensorAssert.CloseRelativeToMax(torch["grad"], smoothX.grad!, 1e-6, "label-smoothing gradient");
    }
}
