using System.Reflection;

namespace Folk.Lab.Tests.Architecture;

/// <summary>The library never renders or prints: that is the notebook layer's and the command's job.</summary>
public class DependencyTests
{
    [Fact]
    public void LibraryReferencesNoRenderingOrConsole()
    {
        var library = typeof(Folk.Lab.Frequency.Spectrum).Assembly;
        // SkiaSharp is allowed: the library uses it only to decode images (Data/ImageDecoder.cs), never to draw.
        // DataFrames belong to the notebook layer (Folk.Lab.Interactive turns a ResultsTable into one).
        var forbidden = new[] { "Plotly", "System.Console", "Microsoft.DotNet.Interactive", "Spectre.Console", "Microsoft.Data.Analysis" };
        var references = library.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void SourceFilesStayShortAndNoGrabBags()
    {
        var root = Path.Combine(Support.RepositoryRoot.Path, "src");
        foreach (var file in Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var name = Path.GetFileName(file);
            Assert.False(name is "Utils.cs" or "Helpers.cs" or "Util.cs", $"{file}: a helper belongs to the concept it serves");
            Assert.True(File.ReadLines(file).Count() <= 400, $"{file} has more than 400 lines: split it");
        }
    }
}
