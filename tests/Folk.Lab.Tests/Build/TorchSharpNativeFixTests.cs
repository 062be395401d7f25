using System.Diagnostics;
using System.Text.RegularExpressions;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Build;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak in the output folder, and only there, where
/// the system libstdc++ lacks that version. Checked with binutils' readelf, an independent ELF reader.
/// </summary>
public class TorchSharpNativeFixTests
{
    static string ReadElfVersions(string path)
    {
        var start = new ProcessStartInfo("readelf", new[] { "-V", "-W", path }) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }

    static string? RequirementFlags(string readelf) =>
        Regex.Match(readelf, @"Name: GLIBCXX_3\.4\.32\s+Flags: (\w+)") is { Success: true } m ? m.Groups[1].Value : null;

    static bool SystemDefinesGlibcxx3432() =>
        File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6") &&
        ReadElfVersions("/usr/lib/x86_64-linux-gnu/libstdc++.so.6").Contains("GLIBCXX_3.4.32");

    [ToolFact("readelf")]
    public void OutputCopyIsWeakWhereNeededAndTheNuGetCacheIsUntouched()
    {
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories)
            .Single(p => !p.Contains($"{Path.DirectorySeparatorChar}cpu{Path.DirectorySeparatorChar}"));
        var outputFlags = RequirementFlags(ReadElfVersions(output));
        Assert.Equal(SystemDefinesGlibcxx3432() ? "none" : "WEAK", outputFlags);

        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(nugetRoot, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(cached), $"expected the package at {cached}");
        Assert.Equal("none", RequirementFlags(ReadElfVersions(cached)));
    }
}
