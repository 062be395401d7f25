namespace Folk.Lab.Runtime;

/// <summary>
/// How much .NET may allocate before it collects its youngest generation (gen0). The runtime sizes that budget from
/// the CPU's cache, and on virtual machines that hide their caches (no <c>/sys/devices/system/cpu/cpu0/cache</c>) it
/// falls back to a few hundred KiB. A training step allocates a small managed wrapper for every tensor it touches, so
/// such a budget means a collection every two or three steps: on a 2-core VM the supervised Fashion-MNIST run trained at
/// 247–268 images/s with the default budget and 302 with 64 MiB (README, "Speed"). The budget can be set only through
/// the environment variable <c>DOTNET_GCgen0size</c> before the runtime starts (no runtimeconfig.json property reaches
/// it: <c>System.GC.Gen0Size</c>, <c>GCgen0size</c> and <c>System.GC.Gen0MaxBudget</c> were tried and ignored), so
/// the <c>folk-lab</c> verbs that train start themselves again with it (<c>Folk.Lab.Cli</c>'s relaunch) and the
/// notebook kernel's spec sets it.
/// </summary>
public static class YoungGenerationBudget
{
    /// <summary>The environment variable the runtime reads at start-up.</summary>
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>Its older spelling, which the runtime still reads.</summary>
    public const string LegacyVariable = "COMPlus_GCgen0size";

    /// <summary>Folk.Lab's budget: 64 MiB, in the hexadecimal the runtime expects.</summary>
    public const string Default = "0x4000000";

    /// <summary>Whether the environment chooses a budget (to anything, even 0 for the runtime's own): then Folk.Lab
    /// leaves it alone.</summary>
    public static bool ChosenByEnvironment =>
        Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable(LegacyVariable) is not null;

    /// <summary>The budget this process runs with, in bytes, as the runtime reports it (<c>GCGen0MaxBudget</c>); null where
    /// the runtime does not report it.</summary>
    public static long? CurrentBytes =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) && value is IConvertible c ? c.ToInt64(null) : null;
}
