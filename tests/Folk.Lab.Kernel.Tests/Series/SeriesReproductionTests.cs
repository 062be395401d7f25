using Folk.Lab.Evaluation;
using Folk.Lab.Experiments;
using Folk.Lab.Kernel.Notebooks;
using Folk.Lab.Kernel.Tests.Support;

namespace Folk.Lab.Kernel.Tests.Series;

/// <summary><see cref="SeriesReproduction"/> on a folder of tiny notebooks: order, selection, failures, resume, the
/// run cache it points the notebooks at, and the index page.</summary>
[Collection(InProcessCellsCollection.Name)]
public sealed class SeriesReproductionTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-series-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Notebooks => Path.Combine(_root, "notebooks");

    string Out => Path.Combine(_root, "out");

    void Write(string name, string title, params string[] code)
    {
        var notebook = Notebook.Create();
        notebook.InsertMarkdownCell(0, $"# {title}\n\nWhat this notebook shows.");
        notebook.InsertCodeCell(1, "var Scale = \"quick\";", "parameters");
        for (int i = 0; i < code.Length; i++) notebook.InsertCodeCell(2 + i, code[i]);
        Directory.CreateDirectory(Notebooks);
        notebook.Save(Path.Combine(Notebooks, name));
    }

    [Fact]
    public async Task RunsTheSeriesInOrderAndResumesWhatIsUpToDate()
    {
        // 00 records the scale and the cache it was given into a file; 01 writes a result.json into the cache
        Write("00-first.ipynb", "00 · First", "System.IO.File.WriteAllText(\"seen.txt\", Scale + \"|\" + Folk.Lab.Experiments.RunCache.Default.Root)", "1 + 1");
        Write("01-second.ipynb", "01 · Second",
            """
            Folk.Lab.Experiments.RunCache.Default.Evaluation("knn/random-s0", folder =>
            {
                var r = new Folk.Lab.Evaluation.EvaluationResult("knn", "k-NN", new System.Text.Json.Nodes.JsonObject(),
                    new Folk.Lab.Evaluation.EncoderSource("random", null, null, "random", "vit-t"), "synthetic", 0,
                    new Dictionary<string, double> { ["top1"] = 0.5 }, "top1", 1, "cpu", Folk.Lab.Evaluation.EvaluationResult.CurrentVersions(), DateTimeOffset.UtcNow);
                r.Write(folder);
                return r;
            })
            """);
        Write("not-in-the-series.ipynb", "Scratch", "throw new System.Exception(\"never run\");");
        var seen = new List<string>();

        var report = await SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out }, new Collect(seen));
        Assert.True(report.Succeeded);
        Assert.Equal(new[] { "00-first.ipynb", "01-second.ipynb" }, seen);
        Assert.Equal(new[] { NotebookStatus.Ran, NotebookStatus.Ran }, report.Notebooks.Select(n => n.Status));
        Assert.Equal("00 · First", report.Notebooks[0].Title);
        Assert.Equal($"quick|{Path.Combine(Out, "run-cache")}", File.ReadAllText(Path.Combine(Notebooks, "seen.txt")));
        Assert.Null(Environment.GetEnvironmentVariable(RunCache.Variable));                       // restored afterwards
        Assert.True(File.Exists(Path.Combine(Out, "run-cache", "eval", "knn", "random-s0", EvaluationResult.FileName)));
        var executed = Notebook.Load(Path.Combine(Out, "00-first.ipynb"));
        Assert.Contains(executed.Cells, c => c.Outputs.Any(o => o["data"]?["text/plain"]?.GetValue<string>() == "2"));

        var index = File.ReadAllText(report.Index);
        Assert.Contains("href=\"00-first.html\"", index);
        Assert.Contains("href=\"01-second.html\"", index);
        Assert.Contains("folk-results", index);                                                    // the cached result, merged
        Assert.Contains("50.00", index);
        Assert.DoesNotContain("Scratch", index);

        // again: nothing to do; touching a notebook reruns it alone; another scale reruns everything
        seen.Clear();
        report = await SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out }, new Collect(seen));
        Assert.All(report.Notebooks, n => Assert.Equal(NotebookStatus.UpToDate, n.Status));
        File.SetLastWriteTimeUtc(Path.Combine(Notebooks, "01-second.ipynb"), DateTime.UtcNow.AddSeconds(5));
        report = await SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out });
        Assert.Equal(new[] { NotebookStatus.UpToDate, NotebookStatus.Ran }, report.Notebooks.Select(n => n.Status));
        report = await SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out, Scale = "full", Only = new[] { "0" } });
        Assert.Equal(NotebookStatus.Ran, report.Notebooks.Single().Status);
        Assert.StartsWith("full|", File.ReadAllText(Path.Combine(Notebooks, "seen.txt")));
    }

    [Fact]
    public async Task AFailureIsKeptAndReportedAndTheSeriesGoesOn()
    {
        Write("00-fails.ipynb", "Fails", "Folk.Lab.Interactive.Check.That(1 + 1 == 3, \"arithmetic\")");
        Write("01-after.ipynb", "After", "1");
        var report = await SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out });
        Assert.False(report.Succeeded);
        Assert.Equal(NotebookStatus.Failed, report.Notebooks[0].Status);
        Assert.StartsWith("cell 3: ", report.Notebooks[0].Failure);                          // after the injected parameters cell
        Assert.Contains("Check failed: arithmetic", report.Notebooks[0].Failure);
        Assert.True(File.Exists(Path.Combine(Out, "00-fails.failed.ipynb")));
        Assert.False(File.Exists(Path.Combine(Out, "00-fails.ipynb")));
        Assert.Equal(NotebookStatus.Ran, report.Notebooks[1].Status);
        Assert.Contains("class=\"Failed\"", File.ReadAllText(report.Index));

        // a failed notebook is never "up to date": fixed, it runs, and its failure file goes
        Write("00-fails.ipynb", "Fails no more", "Folk.Lab.Interactive.Check.That(1 + 1 == 2, \"arithmetic\")");
        report = await SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out });
        Assert.Equal(new[] { NotebookStatus.Ran, NotebookStatus.UpToDate }, report.Notebooks.Select(n => n.Status));
        Assert.False(File.Exists(Path.Combine(Out, "00-fails.failed.ipynb")));
    }

    [Fact]
    public async Task BadRequestsAreRefusedWithWhatToDo()
    {
        Write("00-only.ipynb", "Only", "1");
        var e = await Assert.ThrowsAsync<ArgumentException>(() => SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out, Only = new[] { "07" } }));
        Assert.Contains("no notebook 07-*.ipynb; the series has 00", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => SeriesReproduction.RunAsync(Notebooks, new ReproductionOptions { Output = Out, Scale = "huge" }));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => SeriesReproduction.RunAsync(Path.Combine(_root, "nowhere"), new ReproductionOptions { Output = Out }));
    }

    sealed class Collect(List<string> into) : IProgress<NotebookReport>
    {
        public void Report(NotebookReport value) => into.Add(value.File);
    }
}
