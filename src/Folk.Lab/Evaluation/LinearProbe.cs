using Folk.Lab.Training.Optim;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Options of the linear probe.</summary>
/// <remarks>Folk.Lab's CPU protocol, not a paper's: the official MFM code (Jiahao000/MFM) has no linear-probe script and
/// DINO's ImageNet probe (100 epochs of SGD on augmented crops) is a GPU-days affair. Here: multinomial logistic
/// regression on standardised frozen features, full-batch AdamW, a small weight decay.</remarks>
public sealed record LinearProbeOptions
{
    /// <summary>Full-batch optimisation steps.</summary>
    public int Steps { get; init; } = 500;

    /// <summary>AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>Decoupled weight decay (a little regularisation against over-fitting small training sets).</summary>
    public double WeightDecay { get; init; } = 1e-3;

    /// <summary>Seed of the classifier's initialisation.</summary>
    public long Seed { get; init; }
}

/// <summary>How a probe did.</summary>
/// <param name="TrainAccuracy">Top-1 on the features it was fitted on.</param>
/// <param name="TestAccuracy">Top-1 on held-out features.</param>
public sealed record ProbeResult(double TrainAccuracy, double TestAccuracy);

/// <summary>
/// The linear probe: how much of the label a linear classifier can read off frozen features. Features are
/// standardised with the training set's mean and deviation; the classifier is fitted on the training features and
/// scored on the test features. Deterministic given the seed.
/// </summary>
public static class LinearProbe
{
    /// <summary>Fits on <paramref name="train"/>, scores on both.</summary>
    public static ProbeResult Evaluate(Features train, Features test, LinearProbeOptions? options = null)
    {
        options ??= new LinearProbeOptions();
        if (train.Values.shape[1] != test.Values.shape[1])
            throw new ArgumentException($"train and test features differ in width: {train.Values.shape[1]} vs {test.Values.shape[1]}.", nameof(test));
        using var scope = NewDisposeScope();
        long classes = Math.Max(train.Labels.max().item<long>(), test.Labels.max().item<long>()) + 1;
        var mean = train.Values.mean(new long[] { 0 }, keepdim: true);
        var std = train.Values.std(0, keepdim: true).clamp_min(1e-6);
        var x = (train.Values - mean) / std;
        var xTest = (test.Values - mean) / std;

        using var generator = new Generator((ulong)options.Seed);
        var weight = (randn(new[] { classes, x.shape[1] }, generator: generator) * 0.01).requires_grad_(true);
        var bias = zeros(classes).requires_grad_(true);
        var groups = new[] { new ParameterGroup("weight", new[] { ("weight", weight) }, options.WeightDecay, 1), new ParameterGroup("bias", new[] { ("bias", bias) }, 0, 1) };
        using var optimizer = new AdamW(groups, 0.9, 0.999);
        for (int step = 0; step < options.Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(nn.functional.linear(x, weight, bias), train.Labels);
            loss.backward();
            optimizer.Step(options.LearningRate);
            optimizer.ZeroGrad();
        }
        using var noGrad = no_grad();
        double Accuracy(Tensor features, Tensor labels) =>
            nn.functional.linear(features, weight, bias).argmax(1).eq(labels).to(ScalarType.Float64).mean().item<double>();
        return new ProbeResult(Accuracy(x, train.Labels), Accuracy(xTest, test.Labels));
    }
}
