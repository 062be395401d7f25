namespace Folk.Lab.Tests.Support;

/// <summary>
/// Tests that need torch's process-wide RNG to themselves (bit-exact reruns, resume equality): they run alone, after
/// the parallel tests, so no other test draws from the global generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "torch global RNG";
}
