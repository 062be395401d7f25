namespace Folk.Lab.Training;

/// <summary>One logged iteration.</summary>
/// <param name="Step">Iteration index (from 0).</param>
/// <param name="TotalSteps">Iterations in the run.</param>
/// <param name="Epoch">Epoch (from 0).</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Terms">The method's loss terms ("loss" first).</param>
/// <param name="LearningRate">The scheduled rate (before per-group scales).</param>
/// <param name="ImagesPerSecond">Throughput over the iterations since the previous report.</param>
/// <param name="Elapsed">Time since this process started training.</param>
/// <param name="Remaining">Estimated time to the end of the run.</param>
public sealed record StepReport(long Step, long TotalSteps, int Epoch, int Epochs, IReadOnlyDictionary<string, double> Terms,
                                double LearningRate, double ImagesPerSecond, TimeSpan Elapsed, TimeSpan Remaining);
