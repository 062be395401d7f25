using System.Diagnostics;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// Finds a Python interpreter that can import PyTorch: the reference Folk.Lab's parity tests and benchmarks compare
/// against (on Debian: <c>apt-get install -y python3-torch</c>, which installs into the system Python).
/// </summary>
/// <remarks>
/// Candidates, in order: the <c>FOLK_LAB_PYTHON</c> environment variable, <c>/usr/bin/python3</c> (Debian's, where
/// python3-torch lives even when another python3 comes first on PATH), then <c>python3</c> on PATH.
/// </remarks>
public static class ReferencePython
{
    static readonly Lazy<ReferencePythonInfo?> Found = new(Probe);

    /// <summary>The first candidate that imports torch, with its versions, or null when there is none.</summary>
    public static ReferencePythonInfo? Find() => Found.Value;

    /// <summary>What to tell a user who has no reference PyTorch.</summary>
    public const string InstallHint =
        "no Python with PyTorch found (tried $FOLK_LAB_PYTHON, /usr/bin/python3, python3); " +
        "on Debian/Ubuntu: sudo apt-get install -y python3-torch python3-torchvision, or set FOLK_LAB_PYTHON to a python that imports torch";

    static ReferencePythonInfo? Probe()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("FOLK_LAB_PYTHON") is { Length: > 0 } env) candidates.Add(env);
        if (File.Exists("/usr/bin/python3")) candidates.Add("/usr/bin/python3");
        candidates.Add("python3");
        foreach (var python in candidates.Distinct())
        {
            try
            {
                var start = new ProcessStartInfo(python, new[] { "-c", "import torch, numpy; print(torch.__version__, numpy.__version__)" })
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                using var process = Process.Start(start)!;
                var output = process.StandardOutput.ReadToEnd().Trim();
                process.StandardError.ReadToEnd();
                if (!process.WaitForExit(60_000)) { process.Kill(); continue; }
                if (process.ExitCode != 0) continue;
                var parts = output.Split(' ');
                return new ReferencePythonInfo(python, parts[0], parts.Length > 1 ? parts[1] : "?");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }
        return null;
    }
}

/// <summary>A Python interpreter with PyTorch.</summary>
/// <param name="Executable">Path or name to start it with.</param>
/// <param name="TorchVersion">torch.__version__.</param>
/// <param name="NumpyVersion">numpy.__version__.</param>
public sealed record ReferencePythonInfo(string Executable, string TorchVersion, string NumpyVersion);
