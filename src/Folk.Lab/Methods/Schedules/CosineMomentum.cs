namespace Folk.Lab.Methods.Schedules;

/// <summary>
/// DINO's teacher-momentum schedule: from <see cref="Start"/> to <see cref="End"/> along a half cosine over the run,
/// <c>m(t) = End − (End − Start)(cos(π t / T) + 1) / 2</c> (DINO main_dino.py, cosine_scheduler(0.996, 1, …)).
/// </summary>
/// <param name="Start">Momentum at step 0 (DINO: 0.996).</param>
/// <param name="End">Momentum at the last step (DINO: 1).</param>
/// <param name="TotalSteps">T.</param>
public sealed record CosineMomentum(double Start, double End, long TotalSteps)
{
    /// <summary>The momentum at <paramref name="step"/>.</summary>
    public double At(long step) => TotalSteps <= 1 ? End
        : End - (End - Start) * (Math.Cos(Math.PI * Math.Min(step, TotalSteps - 1) / (TotalSteps - 1)) + 1) / 2;
}
