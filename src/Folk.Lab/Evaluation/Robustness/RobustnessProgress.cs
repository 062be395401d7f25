namespace Folk.Lab.Evaluation.Robustness;

/// <summary>Where a robustness evaluation is: <paramref name="Done"/> of <paramref name="Total"/> cells (clean, then
/// each corruption and severity) finished, the last one named, with its top-1 error.</summary>
public sealed record RobustnessProgress(int Done, int Total, string Cell, double Error);
