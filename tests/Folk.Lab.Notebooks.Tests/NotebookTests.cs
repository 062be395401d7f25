using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Notebooks;
using Folk.Lab.Tests.Shared;
using Xunit.Abstractions;

namespace Folk.Lab.Notebooks.Tests;

[Collection(nameof(QuickSeriesCollection))]
public class NotebookTests(QuickSeries series, ITestOutputHelper output)
{
    internal static string Folder
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

    /// <summary>The notebooks with Python cells: they need a Python kernel and PyTorch, so they run in
    /// <see cref="PythonNotebooksRunToTheEndAtQuickScale"/>, which skips with the install hint where those are missing.</summary>
    static readonly string[] WithPythonCells = ["15-pytorch-beside-folk-lab.ipynb"];

    public static TheoryData<string> NotebooksWithoutPython()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.ipynb").Order())
            if (!WithPythonCells.Contains(Path.GetFileName(path))) data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>
    /// Runs the notebook at quick scale as <c>folk-lab reproduce --only NN</c> does, into the test session's one
    /// reproduction folder and run cache (<see cref="QuickSeries"/>): the notebooks 06–14 then pre-train each shared
    /// run once, and the browser test finds every notebook already executed.
    /// </summary>
    [Theory, MemberData(nameof(NotebooksWithoutPython))]
    public Task RunsToTheEndAtQuickScale(string name) => RunAtQuickScale(name);

    [PythonKernelFact]
    public async Task PythonNotebooksRunToTheEndAtQuickScale()
    {
        foreach (var name in WithPythonCells) await RunAtQuickScale(name);
    }

    async Task RunAtQuickScale(string name)
    {
        var report = await series.RunAsync(name[..2]);
        output.WriteLine($"{name}: {report.Status}, {report.Seconds:F1} s");
        Assert.True(report.Status != NotebookStatus.Failed, $"{name}, {report.Failure}");
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

    [Fact]
    public async Task CellsRunInTheNotebooksFolderAsAJupyterKernelDoes()
    {
        var folder = Directory.CreateTempSubdirectory("folk-lab-cwd-").FullName;
        var path = Path.Combine(folder, "cwd.ipynb");
        File.WriteAllText(Path.Combine(folder, "beside.txt"), "found");
        File.WriteAllText(path, """
            {"cells": [
              {"cell_type": "code", "metadata": {}, "source": ["Folk.Lab.Interactive.Check.That(System.IO.File.ReadAllText(\"beside.txt\") == \"found\", \"a relative path is the notebook's folder\")"], "outputs": [], "execution_count": null}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        var before = Environment.CurrentDirectory;
        try
        {
            var results = await NotebookRun.RunAsync(path);
            Assert.Single(results);
            Assert.Equal(before, Environment.CurrentDirectory);                  // given back after the run
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

}
