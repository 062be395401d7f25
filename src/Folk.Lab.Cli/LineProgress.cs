namespace Folk.Lab.Cli;

/// <summary>Reports progress synchronously, one dimmed line per step, on the error stream (stdout stays parseable).</summary>
internal sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine($"  … {value}");
}
