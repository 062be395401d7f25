using Folk.Lab.Data.Transforms;
using Folk.Lab.Losses;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Losses;

/// <summary>timm's BinaryCrossEntropy as the RSB recipes run it: targets binarised at 0.2, mean over every element.</summary>
public class BinaryCrossEntropyTests
{
    static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    [Fact]
    public void IsTheMeanOverBatchAndClassesOfTheOneVersusAllLogLossOfTheBinarisedTargets()
    {
        var x = new[] { new[] { 2.0, -1.0, 0.5 }, new[] { 0.0, 3.0, -2.0 } };
        var t = new[] { new[] { 0.7, 0.3, 0.0 }, new[] { 0.1, 0.15, 0.75 } };
        using var logits = tensor(x.SelectMany(r => r).Select(v => (float)v).ToArray(), new long[] { 2, 3 });
        using var targets = tensor(t.SelectMany(r => r).Select(v => (float)v).ToArray(), new long[] { 2, 3 });
        // −[t log σ(x) + (1 − t) log(1 − σ(x))] = softplus(x) − t·x
        double Expected(Func<double, double> target) =>
            Enumerable.Range(0, 2).SelectMany(b => Enumerable.Range(0, 3).Select(k => Softplus(x[b][k]) - target(t[b][k]) * x[b][k])).Average();

        using var binarised = BinaryCrossEntropy.Compute(logits, targets);
        Assert.Equal(Expected(v => v > 0.2 ? 1 : 0), binarised.item<float>(), 5);      // 0.7, 0.3, 0.75 are positives
        using var soft = BinaryCrossEntropy.Compute(logits, targets, targetThreshold: null);
        Assert.Equal(Expected(v => v), soft.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => BinaryCrossEntropy.Compute(logits, targets.narrow(1, 0, 2)));
    }

    [Fact]
    public void BothClassesOfAnEvenMixAreTargetsButNotTheMinorClassOfALopsidedOne()
    {
        using var labels = tensor(new long[] { 0, 1, 2, 3 });
        using var even = Mixup.Targets(labels, 0.6, 4, 0);                     // 0.6 / 0.4: both above 0.2
        using var lopsided = Mixup.Targets(labels, 0.9, 4, 0);                 // 0.9 / 0.1: the 0.1 is not
        using var flat = zeros(4, 4);
        double Loss(Tensor targets) { using var l = BinaryCrossEntropy.Compute(flat, targets); return l.item<float>(); }
        // at logits 0 every element costs log 2 whatever its target, so compare through the gradient's sign instead
        using var logits = flat.clone().requires_grad_(true);
        using var loss = BinaryCrossEntropy.Compute(logits, even);
        loss.backward();
        Assert.Equal(8, (logits.grad! < 0).sum().item<long>());                // two positives per row
        using var logits2 = flat.clone().requires_grad_(true);
        using var loss2 = BinaryCrossEntropy.Compute(logits2, lopsided);
        loss2.backward();
        Assert.Equal(4, (logits2.grad! < 0).sum().item<long>());               // one positive per row
        Assert.Equal(Math.Log(2), Loss(even), 5);
    }

    [PyTorchFact]
    public void MatchesPyTorchsBinaryCrossEntropyWithLogits()
    {
        using var g = new Generator(7);
        using var x = randn(new long[] { 8, 10 }, generator: g) * 3;
        using var labels = randint(0, 10, new long[] { 8 }, generator: g);
        using var targets = Mixup.Targets(labels, 0.83, 10, 0);
        foreach (double? threshold in new double?[] { 0.2, null })
        {
            using var ours = BinaryCrossEntropy.Compute(x, targets, threshold);
            var theirs = PyTorchReference.Call("bce", new Dictionary<string, Tensor> { ["logits"] = x, ["targets"] = targets }, new { threshold });
            TensorAssert.CloseRelative(theirs["loss"].item<float>(), ours.item<float>(), 1e-6, $"BCE, threshold {threshold?.ToString() ?? "none"}");
        }
    }
}
