namespace Folk.Lab.Training.Schedules;

/// <summary>
/// timm 0.4.12's <c>CosineLRScheduler</c> as MFM runs it, per iteration (Jiahao000/MFM <c>lr_scheduler.py</c>): linear warm-up from
/// <see cref="Start"/> to <see cref="Peak"/> over <see cref="WarmupSteps"/>, then
/// <c>floor + ½(peak − floor)(1 + cos(π t / T))</c>. The cosine's t is <b>not</b> shifted by the warm-up
/// (warmup_prefix=False): right after warm-up the value dips slightly below the peak, because the cosine has already
/// run for W/T of its length. A pure function of the step.
/// </summary>
/// <param name="Start">Value at step 0 (MFM: WARMUP_LR, scaled).</param>
/// <param name="Peak">Value the warm-up reaches (MFM: BASE_LR, scaled).</param>
/// <param name="Floor">Value at the end (MFM: MIN_LR, scaled).</param>
/// <param name="WarmupSteps">W.</param>
/// <param name="TotalSteps">T.</param>
public sealed record WarmupCosine(double Start, double Peak, double Floor, long WarmupSteps, long TotalSteps) : ILearningRateSchedule
{
    /// <summary>The value at iteration <paramref name="step"/> (from 0).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return Start + step * (Peak - Start) / WarmupSteps;
        if (step >= TotalSteps) return Floor;
        return Floor + 0.5 * (Peak - Floor) * (1 + Math.Cos(Math.PI * step / TotalSteps));
    }

    /// <summary>
    /// The schedule of a parameter group whose rate is scaled by <paramref name="scale"/> (layer-wise decay): only the
    /// peak scales; the warm-up start and the floor are the same for every group. This is how MFM's fine-tuning runs
    /// (main_finetune.py with timm's scheduler: each group's base value is lr × lr_scale, while warmup_lr_init and
    /// lr_min are shared), so the lowest layers warm up from, and decay to, the same 1e-6 as the head.
    /// </summary>
    public double ForScale(double scale, long step) => scale == 1 ? At(step) : (this with { Peak = Peak * scale }).At(step);

    /// <summary>
    /// MFM's pre-training schedule for a global batch: every rate scaled by batch/512 (main_mfm.py), warm-up and
    /// length in iterations.
    /// </summary>
    public static WarmupCosine ScaledForBatch(double baseRate, double warmupRate, double minRate, int globalBatch, long warmupSteps, long totalSteps)
    {
        double scale = globalBatch / 512.0;
        return new WarmupCosine(warmupRate * scale, baseRate * scale, minRate * scale, warmupSteps, totalSteps);
    }
}
