using Folk.Lab.Data;
using Folk.Lab.Methods;
using Folk.Lab.Models;
using Folk.Lab.Training.Optim;
using static TorchSharp.torch;

namespace Folk.Lab.Training;

/// <summary>What one iteration computed.</summary>
/// <param name="Terms">The method's terms (disposed with the iteration).</param>
/// <param name="Loss">The loss as a number.</param>
/// <param name="Updated">Whether the optimiser stepped (the last micro-batch of an accumulation).</param>
public sealed record Iteration(LossTerms Terms, double Loss, bool Updated) : IDisposable
{
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
/// ViT encoders when <see cref="TrainerConfig.LayerDecay"/> &lt; 1.</remarks>
public sealed class OptimizationStep : IDisposable
{
    readonly IPretrainingMethod _method;
    readonly TrainerConfig _config;
    readonly long _totalSteps;
    readonly List<Tensor> _parameters;
    readonly Generator _generator = new(0);

    /// <summary>The optimiser (its state is what a checkpoint saves and a resume loads).</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>A step for <paramref name="method"/> under <paramref name="config"/> in a run of
    /// <paramref name="totalSteps"/> iterations.</summary>
    public OptimizationStep(IPretrainingMethod method, TrainerConfig config, long totalSteps)
    {
        _method = method;
        _config = config;
        _totalSteps = totalSteps;
        var groups = Groups(method, config);
        Optimizer = config.Optimizer switch
        {
            OptimizerKind.Lamb => new Lamb(groups, config.Beta1, config.Beta2, config.Epsilon),
            _ => new AdamW(groups, config.Beta1, config.Beta2, config.Epsilon),
        };
        _parameters = groups.SelectMany(g => g.Parameters).Select(p => p.Parameter).ToList();
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
        LossTerms terms;
        bool bf16 = batch.Views[0].device_type == TorchSharp.DeviceType.CUDA
            ? _config.MixedPrecision
            : _config.CpuMixedPrecision && Runtime.CpuBFloat16.IsNative;
        using (Autocast.For(bf16 ? ScalarType.BFloat16 : null))
            terms = _method.Loss(batch, _generator);
        double loss = terms.Loss.to(ScalarType.Float64).cpu().item<double>();
        if (!double.IsFinite(loss))
            throw new NonFiniteLossException(step, terms.Values(), learningRate, null, lastCheckpoint);
        using (var scaled = terms.Loss / _config.AccumulationSteps) scaled.backward();
        _method.Observe(terms);

        bool update = (step + 1) % _config.AccumulationSteps == 0 || step + 1 == _totalSteps;
        if (update)
        {
            double? norm = _config.ClipGrad is { } clip ? GradientClipping.ClipByNorm(_parameters, clip) : null;
            if (norm is { } n && !double.IsFinite(n))
                throw new NonFiniteLossException(step, terms.Values(), learningRate, n, lastCheckpoint);
            Optimizer.Step(rateForScale);
            Optimizer.ZeroGrad();
            _method.AfterOptimizerStep(Optimizer.Steps - 1, _totalSteps / _config.AccumulationSteps);
        }
        return new Iteration(terms, loss, update);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Optimizer.Dispose();
        _generator.Dispose();
    }
}
