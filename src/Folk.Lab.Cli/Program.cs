using Folk.Lab.Cli;
using Folk.Lab.Runtime;

// Before anything touches torch: a libtorch named by FOLK_LAB_LIBTORCH (e.g. a CUDA PyTorch's) replaces the bundled one.
try
{
    ExternalLibTorch.LoadFromEnvironment();
}
catch (Exception e) when (e is IOException or DllNotFoundException)
{
    Console.Error.WriteLine($"folk-lab: {e.Message}");
    return 2;
}
return FolkLabCommand.Run(args, Console.Out, Console.Error);
