using Folk.Lab.Kernel.Execution;

namespace Folk.Lab.Kernel.Tests.Execution;

public class CellDirectivesTests
{
    [Theory]
    [InlineData("var x = 1;", null, "csharp")]
    [InlineData("#!python\nx = 1", null, "python")]
    [InlineData("#!fsharp\nlet x = 1", null, "fsharp")]
    [InlineData("#!time\n#!python\nx = 1", null, "python")]
    [InlineData("#!python\n#!csharp\nx = 1", null, "python")]                 // the first selector counts
    [InlineData("let x = 1", "fsharp", "fsharp")]                              // a Polyglot notebook's cell metadata
    [InlineData("var x = 1;", "C#", "csharp")]                                 // kernelspec spelling
    [InlineData("#!python\nx = 1", "fsharp", "python")]                        // a selector beats the metadata
    [InlineData("Get-Date", "pwsh", "pwsh")]                                   // kept, so the engine can say it cannot run it
    public void TheCellsLanguageComesFromItsSelectorThenItsMetadata(string cell, string? metadata, string language) =>
        Assert.Equal(language, CellDirectives.Parse(cell, metadata).Language);

    [Fact]
    public void DirectiveLinesAreBlankedSoLineNumbersStay()
    {
        var parsed = CellDirectives.Parse("#!python\n#!share --from csharp images --as x\nprint(x.shape)");
        Assert.Equal("\n\nprint(x.shape)", parsed.Code);
        Assert.Equal([new ShareDirective("csharp", "images", "x")], parsed.Shares);
    }

    [Theory]
    [InlineData("#!share --from python x", "python", "x", null, "x")]
    [InlineData("#!share x --from python", "python", "x", null, "x")]
    [InlineData("#!share --as y --from csharp x", "csharp", "x", "y", "y")]
    [InlineData("#!share --from c# x", "csharp", "x", null, "x")]
    [InlineData("#!share x", null, "x", null, "x")]                             // the engine reports the missing --from
    public void ShareTakesItsOptionsInAnyOrder(string line, string? from, string name, string? @as, string target)
    {
        var share = Assert.Single(CellDirectives.Parse(line).Shares);
        Assert.Equal(new ShareDirective(from, name, @as), share);
        Assert.Equal(target, share.Target);
    }

    [Theory]
    [InlineData("#!share --from python", "names no value")]
    [InlineData("#!share --from python x --into y", "unknown option --into")]
    public void AMalformedShareIsAnErrorThatNamesTheLine(string line, string why)
    {
        var parsed = CellDirectives.Parse("var a = 1;\n" + line);
        Assert.NotNull(parsed.Error);
        Assert.Contains("line 2", parsed.Error);
        Assert.Contains(why, parsed.Error);
    }

    [Fact]
    public void NuGetDirectivesAreDotNetOnly()
    {
        Assert.Single(CellDirectives.Parse("#r \"nuget: Humanizer, 2.14.1\"").Packages);
        var python = CellDirectives.Parse("#!python\n#r \"nuget: Humanizer, 2.14.1\"");
        Assert.Empty(python.Packages);
        Assert.Contains("#r \"nuget: Humanizer", python.Code);                  // a comment, left to Python
    }
}
