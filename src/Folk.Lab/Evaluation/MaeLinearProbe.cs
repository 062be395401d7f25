using Folk.Lab.Data;
using Folk.Lab.Training.Optim;
using static TorchSharp.torch;

namespace Folk.Lab.Evaluation;

/// <summary>Options of <see cref="MaeLinearProbe"/>. Defaults: MAE's ImageNet linear probe (main_linprobe.py and
/// MAE arXiv 2111.06377, Appendix A.2, Table 9): 90 epochs, 10 of warm-up, batch 16,384, base rate 0.1 per 256, weight
/// decay 0, LARS.</summary>
public sealed record MaeLinearProbeOptions
{
    /// <summary>Epochs (MAE: 90).</summary>
    public int Epochs { get; init; } = 90;

    /// <summary>Warm-up epochs, linear from 0 (MAE: 10).</summary>
    public double WarmupEpochs { get; init; } = 10;

    /// <summary>Features per iteration (MAE: 16,384); capped at the training-set size.</summary>
    public int BatchSize { get; init; } = 16384;

    /// <summary>Base rate per 256 features (MAE --blr 0.1; rate = blr × batch / 256).</summary>
    public double BaseLearningRate { get; init; } = 0.1;

    /// <summary>Weight decay (MAE: 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Seed of the head's initialisation and of the feature order.</summary>
    public long Seed { get; init; }

    /// <summary>When set, the run lasts this many iterations whatever the data set's size (the warm-up keeps its share
    /// WarmupEpochs / Epochs); null = <see cref="Epochs"/> epochs.</summary>
    public int? Iterations { get; init; }

    /// <summary>The batch the rate is scaled for (rate = blr × RateBatch / 256); null = <see cref="BatchSize"/>.</summary>
    public int? RateBatch { get; init; }

    /// <summary>
    /// Folk.Lab's CPU miniature: MAE's amount of optimisation on any data set. LARS moves each weight matrix by
    /// lr·η of its norm per step, so what a run achieves is set by lr × iterations, not by epochs: MAE's ImageNet run
    /// makes 7,020 iterations (78 per epoch × 90) at lr 6.4 (0.1 × 16,384 / 256). The miniature makes the same 7,020
    /// iterations at the same rate with batches of 256, so that 600 labelled images (1 % of Fashion-MNIST) are probed
    /// as thoroughly as 60,000.
    /// </summary>
    public static MaeLinearProbeOptions Miniature => new() { BatchSize = 256, RateBatch = 16384, Iterations = 7020 };
}

/// <summary>
/// The linear probe as MAE runs it (main_linprobe.py): frozen features → BatchNorm without affine parameters (eps 1e-6)
/// → a linear head (weights truncated-normal σ 0.01 cut at ±2, i.e. practically normal; bias 0), trained with cross-entropy and LARS under a linear
/// warm-up and half-cycle cosine (util/lr_sched.py, per iteration); top-1 on the test features with the BatchNorm's
/// running statistics.
/// </summary>
/// <remarks>Deviation: the features are computed once, on the evaluation crop; MAE recomputes them every epoch on
/// RandomResizedCrop + flip views of the training images, which costs a forward pass of the encoder per epoch (GPU
/// scale). The probe's classifier is the same.</remarks>
public static class MaeLinearProbe
{
    /// <summary>Fits on <paramref name="train"/>, scores on both.</summary>
    public static ProbeResult Evaluate(Features train, Features test, MaeLinearProbeOptions? options = null)
    {
        options ??= new MaeLinearProbeOptions();
        Guard.Positive(options.Epochs, nameof(options.Epochs));
        Guard.Positive(options.BatchSize, nameof(options.BatchSize));
        if (train.Values.shape[1] != test.Values.shape[1])
            throw new ArgumentException($"train and test features differ in width: {train.Values.shape[1]} vs {test.Values.shape[1]}.", nameof(test));
        using var scope = NewDisposeScope();
        long n = train.Values.shape[0], width = train.Values.shape[1];
        long classes = Math.Max(train.Labels.max().item<long>(), test.Labels.max().item<long>()) + 1;
        int batch = (int)Math.Min(options.BatchSize, n);
        long perEpoch = Math.Max(1, n / batch);                                 // drop_last, as MAE's train loader
        double peak = options.BaseLearningRate * (options.RateBatch ?? batch) / 256;
        int epochs = options.Iterations is { } iterations ? (int)((iterations + perEpoch - 1) / perEpoch) : options.Epochs;
        long total = options.Iterations ?? perEpoch * options.Epochs;
        double warmup = total * options.WarmupEpochs / options.Epochs;

        using var generator = new Generator((ulong)options.Seed);
        var norm = nn.BatchNorm1d(width, eps: 1e-6, affine: false);
        var weight = empty(classes, width);
        Models.TruncatedNormal.Fill(weight, mean: 0, std: 0.01, a: -2, b: 2, generator);   // timm trunc_normal_(std=0.01): cut at ±2 absolute
        weight.requires_grad_(true);
        var bias = zeros(classes).requires_grad_(true);
        using var optimizer = new Lars(new[] { ("head.weight", weight), ("head.bias", bias) }, options.WeightDecay);
        var random = SampleSeed.Random(options.Seed, 0x11b);
        norm.train();
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = Enumerable.Range(0, (int)n).ToArray();
            random.Shuffle(order);
            var permutation = tensor(order.Select(i => (long)i).ToArray());
            for (long b = 0; b < perEpoch && step < total; b++, step++)
            {
                using var stepScope = NewDisposeScope();
                var index = permutation.narrow(0, b * batch, batch);
                var x = norm.forward(train.Values.index_select(0, index));
                var loss = nn.functional.cross_entropy(nn.functional.linear(x, weight, bias), train.Labels.index_select(0, index));
                loss.backward();
                optimizer.Step(Rate(peak, step, warmup, total));
                optimizer.ZeroGrad();
            }
        }
        norm.eval();
        using var noGrad = no_grad();
        double Accuracy(Features f) =>
            nn.functional.linear(norm.forward(f.Values), weight, bias).argmax(1).eq(f.Labels).to(ScalarType.Float64).mean().item<double>();
        return new ProbeResult(Accuracy(train), Accuracy(test));
    }

    /// <summary>MAE util/lr_sched.py: linear from 0 over the warm-up, then half-cycle cosine to 0.</summary>
    public static double Rate(double peak, long step, double warmupSteps, long totalSteps) =>
        step < warmupSteps ? peak * step / warmupSteps
            : peak * 0.5 * (1 + Math.Cos(Math.PI * (step - warmupSteps) / (totalSteps - warmupSteps)));
}
