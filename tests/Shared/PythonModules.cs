using System.Diagnostics;

namespace Folk.Lab.Tests.Shared;

/// <summary>Whether Debian's Python can import what a test needs: the probe behind the skip-with-hint attributes.</summary>
/// <remarks>Compiled into each test project that needs it (linked from tests/Shared).</remarks>
public static class PythonModules
{
    /// <summary>Debian's Python, where apt installs python3-* packages (the python3 on PATH may be another).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Null when <c>import <paramref name="modules"/></c> works, else the reason (the import error's last line).</summary>
    public static string? Missing(string modules)
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", $"import {modules}"])
            {
                RedirectStandardError = true, RedirectStandardOutput = true,
            })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim().Split('\n').LastOrDefault();
        }
        catch (System.ComponentModel.Win32Exception e) { return e.Message; }
    }
}
