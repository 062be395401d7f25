namespace Folk.Lab.Training.Schedules;

/// <summary>Which learning-rate schedule a run follows (<see cref="TrainerConfig.Schedule"/>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ScheduleKind>))]
public enum ScheduleKind
{
    /// <summary><see cref="WarmupCosine"/>: MFM's pre-training and fine-tuning (timm's cosine with linear warm-up).</summary>
    Cosine,

    /// <summary><see cref="WarmupPoly"/>: mmsegmentation's semantic-segmentation recipes (mmcv's poly with linear warm-up).</summary>
    Poly,
}

/// <summary>A learning rate per iteration: a pure function of the step, and of a parameter group's rate scale
/// (layer-wise decay).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate the warm-up leads to (the schedule's base rate).</summary>
    double Peak { get; }

    /// <summary>Iterations of warm-up.</summary>
    long WarmupSteps { get; }

    /// <summary>Iterations in the run.</summary>
    long TotalSteps { get; }

    /// <summary>The rate at iteration <paramref name="step"/> (from 0).</summary>
    double At(long step);

    /// <summary>The rate at iteration <paramref name="step"/> of a parameter group whose base rate is scaled by
    /// <paramref name="scale"/>.</summary>
    double ForScale(double scale, long step);
}
