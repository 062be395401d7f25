namespace Folk.Lab.Runtime;

/// <summary>
/// How libtorch's OpenMP threads wait between parallel regions. OpenMP's default lets them spin for a while, which costs
/// nothing when one process has the machine but starves a second one: two Folk.Lab trainings on a 2-core machine
/// each took 4.0× as long as alone, against 1.8× with <c>OMP_WAIT_POLICY=PASSIVE</c>, while a lone run was as fast
/// either way (README, "Performance"). So the <c>folk-lab</c> command, and with it the notebook kernel, starts with
/// PASSIVE unless the environment already sets a policy. It must be chosen before libtorch loads: the OpenMP runtime
/// reads it once, at start-up.
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The environment variable OpenMP reads.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Folk.Lab's default.</summary>
    public const string Default = "PASSIVE";

    /// <summary>Whether <see cref="ApplyDefault"/> chose the policy (false: the environment set it, or it was not called).</summary>
    public static bool ChosenByFolkLab { get; private set; }

    /// <summary>The policy in effect for native code (null: OpenMP's own default, ACTIVE-then-sleep).</summary>
    public static string? Current => NativeEnvironment.Get(Variable);

    /// <summary>Sets <see cref="Default"/> unless the environment sets a policy. Call it before the first use of torch.</summary>
    public static void ApplyDefault() => ChosenByFolkLab |= NativeEnvironment.SetIfUnset(Variable, Default);
}
