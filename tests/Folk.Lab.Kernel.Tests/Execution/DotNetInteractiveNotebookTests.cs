using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Kernel.Tests.Execution;

/// <summary>
/// A notebook as Polyglot Notebooks saves it (kernelspec <c>.net-csharp</c>, each cell's language in its
/// <c>polyglot_notebook</c> / <c>dotnet_interactive</c> metadata, no <c>#!fsharp</c> lines) runs unchanged: its C# and
/// F# cells in their languages, a tensor shared from C# to F# and a number back.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DotNetInteractiveNotebookTests
{
    [Fact]
    public async Task ItsCSharpAndFSharpCellsRunInTheirLanguagesAndShareValues()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Notebooks", "dotnet-interactive.ipynb");
        var run = await NotebookExecutor.ExecuteAsync(Notebook.Load(path), Path.GetTempPath());

        Assert.True(run.Failure is null, run.Failure?.Error.Value);
        var cells = run.Notebook.Cells.Where(c => c.Kind == "code").ToList();
        Assert.Equal(["csharp", "fsharp", "csharp"], cells.Select(c => c.Language));
        var printed = cells[1].Outputs.OfType<JsonObject>().Single(o => o["output_type"]!.GetValue<string>() == "stream");
        Assert.Matches(@"^kept \d+ of 128\n$", printed["text"]!.GetValue<string>()); // F#'s printfn, on the shared tensor
        Assert.Equal("True", run.Cells[^1].Value!["text/plain"]);                     // Parseval: F#'s energy = C#'s
    }
}
