using Folk.Lab.Data;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training.Optim;
using static TorchSharp.torch;

namespace Folk.Lab.Training;

/// <summary>What one iteration computed.</summary>
/// <param name="Terms">The method's terms on this process's batch (disposed with the iteration).</param>
/// <param name="Loss">The loss as a number: over the whole step's batch, all processes of a data-parallel job.</param>
/// <param name="Updated">Whether the optimiser stepped (the last micro-batch of an accumulation).</param>
/// <param name="Averaged">In a data-parallel job, every term averaged over its processes; null in one process.</param>
public sealed record Iteration(LossTerms Terms, double Loss, bool Updated, IReadOnlyDictionary<string, double>? Averaged = null) : IDisposable
{
    /// <summary>The terms as numbers, over the whole step (averaged over processes in a data-parallel job).</summary>
    public Dictionary<string, double> Values() => Averaged?.ToDictionary() ?? Terms.Values();

    /// <inheritdoc/>
    public void Dispose() => Terms.Dispose();
}

/// <summary>
/// One training iteration exactly as the <see cref="Trainer"/> runs it, so that the benchmarks time the trainer's own
/// step: reseed torch's global RNG and the method's generator from (seed, iteration); the method's loss (bf16 matrix
/// products on CUDA when <see cref="TrainerConfig.MixedPrecision"/>, on a CPU with native bfloat16 when
/// <see cref="TrainerConfig.CpuMixedPrecision"/>); a finite check; backward of loss / accumulation;
/// the method's <see cref="IPretrainingMethod.Observe"/>; and, on the last micro-batch of each optimiser step,
/// gradient clipping, the optimiser (AdamW, or LAMB) at the given rate, zeroed gradients and the method's
/// <see cref="IPretrainingMethod.AfterOptimizerStep"/>.
/// </summary>
/// <remarks>AdamW's parameter groups are MFM's (no decay for biases, norms and tokens), with layer-wise rate decay for
/// ViT encoders when <see cref="TrainerConfig.LayerDecay"/> &lt; 1. In a data-parallel job (a
/// <see cref="Distributed.IProcessGroup"/> of several processes) the terms and the method's batch statistics are
/// averaged over the processes before the finite check and <see cref="IPretrainingMethod.Observe"/>, so that every
/// process takes the same decisions, and the gradients are averaged (<see cref="Distributed.GradientAverager"/>) before
/// clipping, on the last micro-batch of each optimiser step.</remarks>
public sealed class OptimizationStep : IDisposable
{
    readonly IPretrainingMethod _method;
    readonly TrainerConfig _config;
    readonly long _totalSteps;
    readonly List<Tensor> _parameters;
    readonly Generator _generator = new(0);
    readonly Distributed.IProcessGroup _group;
    readonly Distributed.GradientAverager _gradients;

    /// <summary>Time spent averaging gradients over the processes so far (zero in one process).</summary>
    public TimeSpan GradientAveraging => _gradients.Elapsed;

    /// <summary>The optimiser (its state is what a checkpoint saves and a resume loads).</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>A step for <paramref name="method"/> under <paramref name="config"/> in a run of
    /// <paramref name="totalSteps"/> iterations, on one process or on each process of <paramref name="group"/>.</summary>
    public OptimizationStep(IPretrainingMethod method, TrainerConfig config, long totalSteps, Distributed.IProcessGroup? group = null)
    {
        _method = method;
        _group = group ?? Distributed.SingleProcess.Instance;
        _config = config;
        _totalSteps = totalSteps;
        var groups = Groups(method, config);
        Optimizer = config.Optimizer switch
        {
            OptimizerKind.Lamb => new Lamb(groups, config.Beta1, config.Beta2, config.Epsilon),
            _ => new AdamW(groups, config.Beta1, config.Beta2, config.Epsilon),
        };
        _parameters = groups.SelectMany(g => g.Parameters).Select(p => p.Parameter).ToList();
        _gradients = new Distributed.GradientAverager(_parameters, _group);
    }

    /// <summary>The optimiser's parameter groups for <paramref name="method"/> under <paramref name="config"/>: MFM's
    /// decay / no-decay split, by layer when <see cref="TrainerConfig.LayerDecay"/> &lt; 1 and the encoder is a ViT.</summary>
    public static IReadOnlyList<ParameterGroup> Groups(IPretrainingMethod method, TrainerConfig config) =>
        config.LayerDecay < 1 && method.Encoder is VisionTransformer vit
            ? ParameterGroups.BuildWithLayerDecay(method.Trainable, config.WeightDecay, config.LayerDecay, vit.Config.Depth)
            : ParameterGroups.Build(method.Trainable, config.WeightDecay);

    /// <summary>
    /// Runs iteration <paramref name="step"/> (from 0) on <paramref name="batch"/> (on the method's device) at learning
    /// rate <paramref name="learningRate"/>; returns the method's terms (the caller disposes them), the loss as a number
    /// and whether the optimiser stepped.
    /// </summary>
    /// <exception cref="NonFiniteLossException">The loss or the gradient norm is not finite; nothing was updated.</exception>
    public Iteration Run(Batch batch, long step, double learningRate, string? lastCheckpoint = null) =>
        Run(batch, step, scale => learningRate * scale, learningRate, lastCheckpoint);

    /// <summary>Runs iteration <paramref name="step"/> with each parameter group's rate taken from
    /// <paramref name="schedule"/> at that step (<see cref="Schedules.ILearningRateSchedule.ForScale"/>): what the trainer runs.</summary>
    public Iteration Run(Batch batch, long step, Schedules.ILearningRateSchedule schedule, string? lastCheckpoint = null) =>
        Run(batch, step, scale => schedule.ForScale(scale, step), schedule.At(step), lastCheckpoint);

    Iteration Run(Batch batch, long step, Func<double, double> rateForScale, double learningRate, string? lastCheckpoint)
    {
        manual_seed((long)SampleSeed.Of(_config.Seed, step, 1));
        _generator.manual_seed((long)SampleSeed.Of(_config.Seed, step, 2));
        if (_group.WorldSize > 1 && batch.Shard is { } shard) batch = batch with { Shard = shard with { Group = _group } };
        LossTerms terms;
        bool bf16 = batch.Views[0].device_type == TorchSharp.DeviceType.CUDA
            ? _config.MixedPrecision
            : _config.CpuMixedPrecision && Runtime.CpuBFloat16.IsNative;
        using (Autocast.For(bf16 ? ScalarType.BFloat16 : null))
            terms = _method.Loss(batch, _generator);
        var averaged = _group.WorldSize > 1 ? AverageTerms(terms) : null;
        double loss = averaged?["loss"] ?? terms.Loss.to(ScalarType.Float64).cpu().item<double>();
        if (!double.IsFinite(loss))
            throw new NonFiniteLossException(step, averaged ?? terms.Values(), learningRate, null, lastCheckpoint);
        using (var scaled = terms.Loss / _config.AccumulationSteps) scaled.backward();
        if (_group.WorldSize > 1) AverageStatistics(terms);
        _method.Observe(terms);

        bool update = (step + 1) % _config.AccumulationSteps == 0 || step + 1 == _totalSteps;
        if (update)
        {
            _gradients.Average();
            double? norm = _config.ClipGrad is { } clip ? GradientClipping.ClipByNorm(_parameters, clip) : null;
            if (norm is { } n && !double.IsFinite(n))
                throw new NonFiniteLossException(step, terms.Values(), learningRate, n, lastCheckpoint);
            Optimizer.Step(rateForScale);
            Optimizer.ZeroGrad();
            _method.AfterOptimizerStep(Optimizer.Steps - 1, _totalSteps / _config.AccumulationSteps);
        }
        return new Iteration(terms, loss, update, averaged);
    }

    /// <summary>Every term averaged over the processes: one all-reduce of a float64 vector, on the CPU. Each process's
    /// term is its share of the step's (pooled ratios divide by the mean count: <see cref="BatchShard.PooledCount"/>), so
    /// the mean is the one-process value; a non-finite loss anywhere makes the mean non-finite, so that every process
    /// stops at the same step.</summary>
    Dictionary<string, double> AverageTerms(LossTerms terms)
    {
        var names = terms.Terms.Keys.Where(k => k != "loss").Prepend("loss").ToArray();
        using var values = tensor(names.Select(n => n == "loss" && !terms.Terms.ContainsKey("loss")
            ? terms.Loss.to(ScalarType.Float64).cpu().item<double>() : terms.Terms[n].to(ScalarType.Float64).cpu().item<double>()).ToArray());
        _group.AllReduceSum(values);
        var sums = values.data<double>().ToArray();
        return names.Select((n, i) => (n, sums[i] / _group.WorldSize)).ToDictionary(p => p.n, p => p.Item2);
    }

    /// <summary>The method's batch statistics (FOLK: the teacher's batch centre) averaged over the processes, in place:
    /// DINO's <c>update_center</c> all-reduces its batch centre the same way.</summary>
    void AverageStatistics(LossTerms terms)
    {
        foreach (var statistic in terms.Statistics?.Values ?? [])
        {
            if (!statistic.is_contiguous()) throw new InvalidOperationException($"A batch statistic ({Shape.Format(statistic)}) must be contiguous to be averaged over processes.");
            _group.AllReduceSum(statistic);
            statistic.div_(_group.WorldSize);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Optimizer.Dispose();
        _generator.Dispose();
    }
}
