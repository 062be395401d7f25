using System.Diagnostics;

namespace Folk.Lab.Kernel.Languages;

/// <summary>Which Python runs the Python cells of a notebook.</summary>
public static class PythonLocator
{
    /// <summary>The environment variable that names the Python of Python cells (a path or a command).</summary>
    public const string Variable = "FOLK_LAB_PYTHON";

    /// <summary>
    /// The Python that runs Python cells: <c>$FOLK_LAB_PYTHON</c> when set; otherwise the first <c>python3</c> on the
    /// PATH that can import ipykernel, then Debian's <c>/usr/bin/python3</c> (a pyenv or virtual-environment python3
    /// often comes first on the PATH without ipykernel or torch). Null when none can.
    /// </summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } chosen) return chosen;
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "python3")).Append("/usr/bin/python3")
            .Where(File.Exists).Distinct();
        return candidates.FirstOrDefault(CanImportIpykernel);
    }

    static bool CanImportIpykernel(string python)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import ipykernel"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
