namespace Folk.Lab.Tests.Shared;

/// <summary>The <c>folk-lab</c> program built beside the running tests (same configuration and framework). Test
/// projects that start it reference src/Folk.Lab.Cli with ReferenceOutputAssembly="false" so it is built first.</summary>
/// <remarks>Compiled into each test project that needs it (linked from tests/Shared).</remarks>
public static class BuiltCommand
{
    public static string FolkLab { get; } = Find();

    static string Find()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        for (var dir = testBin; dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Folk.Lab.sln")))
            {
                var path = Path.Combine(dir.FullName, "src", "Folk.Lab.Cli", "bin", configuration, framework, "folk-lab");
                if (File.Exists(path)) return path;
                throw new FileNotFoundException($"{path} not found: build src/Folk.Lab.Cli ({configuration}) first.", path);
            }
        throw new InvalidOperationException($"Folk.Lab.sln not found above {AppContext.BaseDirectory}.");
    }
}
