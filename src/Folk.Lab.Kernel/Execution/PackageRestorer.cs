using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Restores <c>#r "nuget: …"</c> packages through the machine's own NuGet configuration (plus any <c>#i</c> sources):
/// it writes a tiny project referencing them, runs <c>dotnet restore</c>, and reads the runtime assemblies from the
/// assets file. Packages come from the NuGet cache, so nothing is copied.
/// </summary>
public sealed class PackageRestorer
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"folk-lab-packages-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);

    /// <summary>The runtime assemblies of <paramref name="packages"/> and their dependencies.</summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(IReadOnlyList<(string Name, string? Version)> packages,
        IReadOnlyList<string> sources, CancellationToken cancellation)
    {
        Directory.CreateDirectory(_folder);
        var project = Path.Combine(_folder, "restore.csproj");
        var references = string.Join("\n", packages.Select(p =>
            $"    <PackageReference Include=\"{p.Name}\" Version=\"{p.Version ?? "*"}\" />"));
        var extraSources = sources.Count == 0 ? "" : $"    <RestoreAdditionalProjectSources>{string.Join(';', sources.Select(Path.GetFullPath))}</RestoreAdditionalProjectSources>\n";
        await File.WriteAllTextAsync(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
            {extraSources}  </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """, cancellation);
        var start = new ProcessStartInfo(DotnetHost(), ["restore", project, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'dotnet restore'.");
        var log = process.StandardOutput.ReadToEndAsync(cancellation);
        var errors = await process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        if (process.ExitCode != 0)
            throw new PackageRestoreException(packages, await log + errors);
        return RuntimeAssemblies(Path.Combine(_folder, "obj", "project.assets.json"));
    }

    /// <summary>The dotnet host: the one running this process when it is dotnet, else DOTNET_HOST_PATH, else "dotnet" on PATH.</summary>
    static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    static List<string> RuntimeAssemblies(string assetsPath)
    {
        var assets = JsonNode.Parse(File.ReadAllText(assetsPath))!;
        var packageFolder = assets["packageFolders"]!.AsObject().First().Key;
        var target = assets["targets"]!.AsObject().First().Value!.AsObject();
        var libraries = assets["libraries"]!.AsObject();
        var paths = new List<string>();
        foreach (var (id, entry) in target)
        {
            if (entry?["type"]?.GetValue<string>() != "package" || entry["runtime"] is not JsonObject runtime) continue;
            var folder = libraries[id]?["path"]?.GetValue<string>() ?? id.ToLowerInvariant();
            paths.AddRange(runtime.Select(r => r.Key).Where(k => k.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Select(k => Path.Combine(packageFolder, folder, k)));
        }
        return paths;
    }
}

/// <summary>
/// A <c>#r "nuget: …"</c> that could not be restored; its message names the packages and gives NuGet's own errors
/// (e.g. "error NU1101: Unable to find package …") without the temporary project's path.
/// </summary>
public sealed class PackageRestoreException(IReadOnlyList<(string Name, string? Version)> packages, string log)
    : Exception(Describe(packages, log))
{
    /// <summary>NuGet's error lines ("error NU1101: …"), or the whole restore log when it has none.</summary>
    public IReadOnlyList<string> Errors { get; } = ErrorLines(log);

    static string Describe(IReadOnlyList<(string Name, string? Version)> packages, string log) =>
        $"could not restore {string.Join(", ", packages.Select(p => p.Version is null ? p.Name : $"{p.Name} {p.Version}"))}: {string.Join(" ", ErrorLines(log))}";

    static List<string> ErrorLines(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Select(l => l.IndexOf("error ", StringComparison.Ordinal) is var i and >= 0 ? l[i..] : null)
            .OfType<string>().Distinct().ToList();
        return errors.Count > 0 ? errors : lines.ToList();
    }
}
