using System.CommandLine;
using Folk.Lab.Cli.Commands;

namespace Folk.Lab.Cli;

/// <summary>The <c>folk-lab</c> command tree and its error policy.</summary>
/// <remarks>
/// Exit codes: 0 success; 2 a bad argument or bad input (one line on stderr naming the argument or file, the value
/// and what is allowed); 1 any other failure.
/// </remarks>
public static class FolkLabCommand
{
    /// <summary>Exit code for bad arguments and bad input files.</summary>
    public const int UsageError = 2;

    /// <summary>Parses and runs one command line.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("Folk.Lab: frequency-domain self-supervised visual pre-training (MFM, FOLK).")
        {
            DemoCommand.Create(console),
            FreqCommand.Create(console),
            CorruptCommand.Create(console),
            BenchCommand.Create(console),
            PretrainCommand.Create(console),
            ProbeCommand.Create(console),
            FinetuneCommand.Create(console),
            SegmentCommand.Create(console),
            EvalCommand.Create(console),
            ResultsCommand.Create(console),
            DataCommand.Create(console),
            WeightsCommand.Create(console),
            KernelCommand.Create(console),
            NotebookCommand.Create(console),
            ReproduceCommand.Create(console),
            EnvCommand.Create(console),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', parsed.CommandResult.Command is RootCommand ? new[] { "folk-lab" } : Path(parsed.CommandResult));
            // An unknown word explains more than the missing command it leads to.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            error.WriteLine($"{command}: {Plain(OneLine(first.Message))} (see {command} --help)");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IO.Pth.UnsafePickleException)
        {
            error.WriteLine($"{string.Join(' ', Path(parsed.CommandResult))}: {OneLine(e.Message)}");
            return UsageError;
        }
    }

    static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command is RootCommand ? "folk-lab" : r.Command.Name);
        return names;
    }

    /// <summary>System.CommandLine names .NET types; a user wants to read "an integer".</summary>
    static string Plain(string message) => message
        .Replace("as expected type 'System.Int32'", "as an integer")
        .Replace("as expected type 'System.Int64'", "as an integer")
        .Replace("as expected type 'System.Double'", "as a number")
        .Replace("as expected type 'System.Nullable`1[System.Double]'", "as a number");

    static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>Where commands write: the process console, or a test's writers.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error);
