namespace Folk.Lab.Tests.Architecture;

/// <summary>The folders of the library follow the data: a folder uses only folders to its left.</summary>
public class FolderDirectionTests
{
    [Fact]
    public void NoFolderUsesOneToItsRight()
    {
        var sources = FolderDirection.LibrarySources(Path.Combine(Support.RepositoryRoot.Path, "src", "Folk.Lab"));
        var violations = FolderDirection.Violations(sources, FolderDirection.References());
        Assert.True(violations.Count == 0, $"{violations.Count} use(s) against the data flow ({string.Join(" → ", FolderDirection.Order)}):\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void TheCheckSeesUsingsQualifiedNamesAndRelativeNamespaces()
    {
        var sources = new Dictionary<string, string>
        {
            ["Training/Loop.cs"] = "namespace Folk.Lab.Training; public class Loop { }",
            ["Methods/ByUsing.cs"] = "using Folk.Lab.Training; namespace Folk.Lab.Methods; public class ByUsing { Loop? l; }",
            ["Methods/ByQualifiedName.cs"] = "namespace Folk.Lab.Methods; public class ByQualifiedName { Folk.Lab.Training.Loop? l; }",
            ["Methods/ByRelativeNamespace.cs"] = "namespace Folk.Lab.Methods; public class ByRelativeNamespace { Training.Loop? l; }",
            ["Data/Fine.cs"] = "namespace Folk.Lab.Data; public class Fine { }",
            ["Methods/LeftIsFine.cs"] = "using Folk.Lab.Data; namespace Folk.Lab.Methods; public class LeftIsFine { Fine? f; }",
        };
        var violations = FolderDirection.Violations(sources, FolderDirection.References());
        Assert.Contains(violations, v => v.StartsWith("Methods/ByUsing.cs uses Folk.Lab.Training", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Methods/ByQualifiedName.cs uses Folk.Lab.Training.Loop", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Methods/ByRelativeNamespace.cs uses Folk.Lab.Training.Loop", StringComparison.Ordinal));
        Assert.DoesNotContain(violations, v => v.Contains("LeftIsFine") || v.Contains("Fine.cs"));
    }
}
