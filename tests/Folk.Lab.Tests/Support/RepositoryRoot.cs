namespace Folk.Lab.Tests.Support;

/// <summary>The checkout the tests run from (the folder holding Folk.Lab.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Folk.Lab.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Folk.Lab.sln not found above {AppContext.BaseDirectory}.");
    }
}
