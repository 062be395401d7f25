namespace Folk.Lab.Methods.Schedules;

/// <summary>
/// DINO's teacher-temperature schedule, per epoch: <c>linspace(Start, End, WarmupEpochs)</c> for the first
/// <see cref="WarmupEpochs"/> epochs, then <see cref="End"/> (main_dino.py <c>DINOLoss.teacher_temp_schedule</c>).
/// </summary>
/// <param name="Start">τ_t at epoch 0 (DINO <c>--warmup_teacher_temp</c> 0.04).</param>
/// <param name="End">τ_t after the warm-up (DINO README ViT-S 300-epoch recipe: <c>--teacher_temp</c> 0.07).</param>
/// <param name="WarmupEpochs">Warm-up length (same recipe: <c>--warmup_teacher_temp_epochs</c> 30).</param>
public sealed record TeacherTemperature(double Start = 0.04, double End = 0.07, int WarmupEpochs = 30)
{
    /// <summary>τ_t in epoch <paramref name="epoch"/> (from 0).</summary>
    public double At(int epoch) =>
        epoch >= WarmupEpochs ? End
        : WarmupEpochs == 1 ? Start
        : Start + (End - Start) * epoch / (WarmupEpochs - 1);
}
