namespace Folk.Lab.Tests.Support;

/// <summary>
/// A test that needs a command-line tool (readelf from binutils, say). Skipped with the install hint where the tool is
/// missing, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets it): then it runs and fails, never passes silently.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
            Skip = $"needs '{tool}' on PATH (Debian: apt-get install -y binutils)";
    }
}
