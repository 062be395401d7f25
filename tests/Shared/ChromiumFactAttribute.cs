namespace Folk.Lab.Tests.Shared;

/// <summary>
/// A test that drives Debian's chromium (through Playwright, never a downloaded browser). Skipped with the install hint
/// where /usr/bin/chromium is missing, unless FOLK_LAB_REQUIRE_REFERENCES=1 (CI sets it): then it runs and fails,
/// never passes silently.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FOLK_LAB_REQUIRE_REFERENCES") == "1") return;
        if (!File.Exists(Executable)) Skip = $"needs {Executable} (Debian: apt-get install -y chromium)";
    }
}
