using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Notebooks;
using Xunit.Abstractions;

namespace Folk.Lab.Notebooks.Tests;

public class NotebookTests(ITestOutputHelper output)
{
    static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Folk.Lab.sln"))) return Path.Combine(dir.FullName, "notebooks");
            throw new InvalidOperationException("Folk.Lab.sln not found above the test folder.");
        }
    }

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.ipynb").Order()) data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory, MemberData(nameof(Notebooks))]
    public async Task RunsToTheEndAtQuickScale(string name)
    {
        var results = await NotebookRun.RunAsync(Path.Combine(Folder, name), new Dictionary<string, string> { ["Scale"] = "\"quick\"" });
        foreach (var cell in results) output.WriteLine($"cell {cell.Index,2}: {cell.Elapsed.TotalSeconds,6:F2} s  {Describe(cell.Value)}");
        Assert.NotEmpty(results);
    }

    [Theory, MemberData(nameof(Notebooks))]
    public void FollowsTheTemplate(string name)
    {
        var notebook = Notebook.Load(Path.Combine(Folder, name));
        Assert.Matches(@"^\d\d-[a-z0-9-]+\.ipynb$", name);
        Assert.Equal("csharp", notebook.Language);
        Assert.All(notebook.Cells, c => Assert.False(c.HasOutputs, $"cell {c.Index} has saved outputs: strip them before committing"));
        var parameters = notebook.Cells.Where(c => c.Tags.Contains("parameters")).ToList();
        Assert.Single(parameters);
        Assert.Contains("var Scale = \"quick\"", parameters[0].Source);
        Assert.Equal("markdown", notebook.Cells[0].Kind);
        Assert.Contains(notebook.Cells, c => c.Kind == "code" && c.Source.Contains("Check."));
    }

    [Fact]
    public async Task AFailingCellStopsTheRunAndNamesTheCell()
    {
        var path = Path.Combine(Path.GetTempPath(), $"folk-lab-failing-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, """
            {"cells": [
              {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ["var Scale = \"quick\";"], "outputs": [], "execution_count": null},
              {"cell_type": "code", "metadata": {}, "source": ["Folk.Lab.Interactive.Check.That(Scale == \"quick\", \"quick\")"], "outputs": [], "execution_count": null},
              {"cell_type": "code", "metadata": {}, "source": ["Folk.Lab.Interactive.Check.That(1 + 1 == 3, \"arithmetic\")"], "outputs": [], "execution_count": null},
              {"cell_type": "code", "metadata": {}, "source": ["throw new System.Exception(\"never reached\");"], "outputs": [], "execution_count": null}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        try
        {
            var e = await Assert.ThrowsAsync<NotebookCellException>(() => NotebookRun.RunAsync(path));
            Assert.Equal(2, e.CellIndex);
            Assert.Contains("Check failed: arithmetic", e.Message);

            // an injected parameter replaces the default: the injected cell is cell 1, so the check of Scale (now cell 2) fails
            e = await Assert.ThrowsAsync<NotebookCellException>(() => NotebookRun.RunAsync(path, new Dictionary<string, string> { ["Scale"] = "\"full\"" }));
            Assert.Equal(2, e.CellIndex);
            Assert.Contains("Check failed: quick", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    static string Describe(Folk.Lab.Kernel.Display.MimeBundle? value) => value?["text/plain"] ?? "";
}
