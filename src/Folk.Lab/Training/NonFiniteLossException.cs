namespace Folk.Lab.Training;

/// <summary>
/// The loss (or the gradient norm) stopped being finite. The run stops before the optimiser applies it, so no
/// checkpoint is poisoned; the message says where and what to try.
/// </summary>
public sealed class NonFiniteLossException(long step, IReadOnlyDictionary<string, double> terms, double learningRate, double? gradientNorm, string? lastCheckpoint)
    : Exception(
        $"Non-finite loss at iteration {step}: " + string.Join(", ", terms.Select(t => $"{t.Key} = {t.Value:g6}")) +
        (gradientNorm is { } g ? $", gradient norm = {g:g6}" : "") + $", learning rate = {learningRate:g4}. " +
        (lastCheckpoint is null ? "No checkpoint was written yet. " : $"The last good checkpoint is {lastCheckpoint}; nothing after it was saved. ") +
        "Try a lower learning rate, gradient clipping, or float32 instead of bfloat16.")
{
    /// <summary>The iteration that failed.</summary>
    public long Step { get; } = step;

    /// <summary>The loss terms at that iteration.</summary>
    public IReadOnlyDictionary<string, double> Terms { get; } = terms;

    /// <summary>The last checkpoint that was written, if any.</summary>
    public string? LastCheckpoint { get; } = lastCheckpoint;
}
