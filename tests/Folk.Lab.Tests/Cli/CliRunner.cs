using Folk.Lab.Cli;

namespace Folk.Lab.Tests.Cli;

/// <summary>Runs <c>folk-lab</c> in-process and captures what it prints.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

public static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = FolkLabCommand.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
