namespace Folk.Lab.Training.Schedules;

/// <summary>
/// mmcv's <c>PolyLrUpdaterHook</c> with linear warm-up, per iteration, as mmsegmentation's ADE20K recipes run it
/// (<c>lr_config = dict(policy='poly', warmup='linear', warmup_iters=1500, warmup_ratio=1e-6, power=1.0, min_lr=0.0,
/// by_epoch=False)</c> in open-mmlab/mmsegmentation <c>configs/mae/upernet_mae-base_fp16_8x2_512x512_160k_ade20k.py</c>):
/// the regular rate is <c>(peak − floor)·(1 − t/T)^power + floor</c> from step 0 (the warm-up does not shift it), and
/// during the first W steps it is multiplied by <c>1 − (1 − t/W)(1 − ratio)</c>, rising from ratio to 1. A pure
/// function of the step.
/// </summary>
/// <param name="Peak">The base rate (the poly's value at step 0).</param>
/// <param name="Floor">The value at the end (mmcv <c>min_lr</c>, shared by every parameter group).</param>
/// <param name="WarmupRatio">The warm-up's starting fraction of the regular rate (mmcv <c>warmup_ratio</c>).</param>
/// <param name="WarmupSteps">W.</param>
/// <param name="TotalSteps">T.</param>
/// <param name="Power">The poly's exponent (mmcv <c>power</c>).</param>
public sealed record WarmupPoly(double Peak, double Floor, double WarmupRatio, long WarmupSteps, long TotalSteps, double Power = 1.0) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public double At(long step)
    {
        double progress = Math.Min(step, TotalSteps) / (double)TotalSteps;
        double regular = (Peak - Floor) * Math.Pow(1 - progress, Power) + Floor;
        if (step >= WarmupSteps) return regular;
        double k = (1 - step / (double)WarmupSteps) * (1 - WarmupRatio);
        return regular * (1 - k);
    }

    /// <summary>The schedule of a group whose base rate is <paramref name="scale"/> × <see cref="Peak"/> (layer-wise
    /// decay): mmcv keeps one base rate per group and one <c>min_lr</c> for all, so only the peak scales.</summary>
    public double ForScale(double scale, long step) => scale == 1 ? At(step) : (this with { Peak = Peak * scale }).At(step);

    /// <summary>The schedule for a global batch, with the rates given per 512 images as Folk.Lab's recipes give them
    /// (<see cref="TrainerConfig.BaseLearningRate"/>): both scaled by batch / 512.</summary>
    public static WarmupPoly ScaledForBatch(double baseRate, double minRate, double warmupRatio, int globalBatch, long warmupSteps, long totalSteps, double power)
    {
        double scale = globalBatch / 512.0;
        return new WarmupPoly(baseRate * scale, minRate * scale, warmupRatio, warmupSteps, totalSteps, power);
    }
}
