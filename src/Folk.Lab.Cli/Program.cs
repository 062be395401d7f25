using Folk.Lab.Cli;
using Folk.Lab.Runtime;

// Training verbs run again with a larger gen0 budget, which .NET reads only at start-up (YoungGenerationBudget).
Relaunch.WatchParent();
if (Relaunch.Applies(args)) return Relaunch.Run(args);

// Before anything touches torch: OpenMP threads that sleep rather than spin (two runs on one machine would otherwise
// starve each other), and a libtorch named by FOLK_LAB_LIBTORCH (e.g. a CUDA PyTorch's) in place of the bundled one.
try
{
    OpenMpWaitPolicy.ApplyDefault();
    ExternalLibTorch.LoadFromEnvironment();
}
catch (Exception e) when (e is IOException or DllNotFoundException)
{
    Console.Error.WriteLine($"folk-lab: {e.Message}");
    return 2;
}
return FolkLabCommand.Run(args, Console.Out, Console.Error);
