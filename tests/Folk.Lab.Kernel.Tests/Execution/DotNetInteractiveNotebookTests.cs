using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Notebooks;
using Folk.Lab.Kernel.Tests.Support;

namespace Folk.Lab.Kernel.Tests.Execution;

/// <summary>
/// A notebook as Polyglot Notebooks saves it (kernelspec <c>.net-csharp</c>, each cell's language in its
/// <c>polyglot_notebook</c> / <c>dotnet_interactive</c> metadata, no <c>#!fsharp</c> lines) runs unchanged through
/// <c>folk-lab notebook run</c>: its C# and F# cells in their languages, a tensor shared from C# to F# and a number back.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DotNetInteractiveNotebookTests
{
    [Fact]
    public void ItsCSharpAndFSharpCellsRunInTheirLanguagesAndShareValues()
    {
        var work = Directory.CreateTempSubdirectory("folk-lab-polyglot-").FullName;
        try
        {
            var executed = Path.Combine(work, "executed.ipynb");
            var run = Processes.Run(KernelInstallation.FolkLab,
                ["notebook", "run", Path.Combine(AppContext.BaseDirectory, "Notebooks", "dotnet-interactive.ipynb"), "--out", executed]);
            Assert.True(run.ExitCode == 0, run.ToString());

            var cells = Notebook.Load(executed).Cells.Where(c => c.Kind == "code").ToList();
            Assert.Equal(["csharp", "fsharp", "csharp"], cells.Select(c => c.Language));
            var printed = cells[1].Outputs.Single(o => o["output_type"]!.GetValue<string>() == "stream");
            Assert.Matches(@"^kept \d+ of 128\n$", printed["text"]!.GetValue<string>()); // F#'s printfn, on the shared tensor
            var last = cells[2].Outputs.Single(o => o["output_type"]!.GetValue<string>() == "execute_result");
            Assert.Equal("True", last["data"]!["text/plain"]!.GetValue<string>());          // Parseval: F#'s energy = C#'s
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
