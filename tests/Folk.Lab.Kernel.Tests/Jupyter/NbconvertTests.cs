using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Folk.Lab.Kernel.Tests.Jupyter;

/// <summary>
/// The kernel under Jupyter's own notebook executor (<c>jupyter nbconvert --execute</c>, nbclient 0.7), and
/// <c>folk-lab notebook run</c> on the same notebooks giving the same outputs.
/// </summary>
[Trait("Category", "Slow"), Collection(JupyterCollection.Name)]
public class NbconvertTests(ITestOutputHelper log, KernelInstallation kernel) : IClassFixture<KernelInstallation>
{
    readonly KernelInstallation _kernel = kernel;

    ProcessResult Nbconvert(string notebook, string output) => Processes.Run(JupyterFactAttribute.Python,
        ["-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", $"--ExecutePreprocessor.kernel_name={KernelInstallation.KernelName}",
         "--ExecutePreprocessor.timeout=120", "--output", output, notebook], _kernel.Environment, _kernel.Work);

    ProcessResult FolkLabRun(string notebook, string output) =>
        Processes.Run(KernelInstallation.FolkLab, ["notebook", "run", notebook, "--out", output], workingDirectory: _kernel.Work);

    [JupyterFact]
    public void NbconvertRunsTheFeatureNotebookAndFolkLabNotebookRunGivesTheSameOutputs()
    {
        var jupyter = Nbconvert("kernel-features.ipynb", "features-nbconvert.ipynb");
        log.WriteLine(jupyter.ToString());
        Assert.True(jupyter.ExitCode == 0, jupyter.ToString());
        var cells = NotebookOutputs.Read(Path.Combine(_kernel.Work, "features-nbconvert.ipynb"));
        foreach (var cell in cells) log.WriteLine(cell.ToJsonString());

        Assert.Equal(Enumerable.Range(1, cells.Count), cells.Select(c => c["execution_count"]!.GetValue<int>()));
        Assert.Equal("42", Data(cells, "x + 2", "text/plain"));
        Assert.Equal("hello 0\nhello 1\n", Stream(cells, "Console.WriteLine", "stdout"));
        Assert.Equal("to stderr\n", Stream(cells, "Console.WriteLine", "stderr"));
        var displays = Outputs(cells, "display(\"first\")");
        Assert.Equal("second", displays[0]!["data"]!["text/plain"]!.GetValue<string>()); // updated in place
        Assert.Contains("1", displays[1]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("Greeter says hello", Data(cells, "Greeter.Hello", "text/plain"));
        var png = Convert.FromBase64String(Data(cells, "RgbImage(2, 2", "image/png")!);
        var image = Folk.Lab.Interactive.Rendering.Png.Decode(png);
        Assert.Equal((2, 2, (byte)255, (byte)0), (image.Width, image.Height, image.Pixels[0], image.Pixels[1]));
        Assert.Equal("<b>12.50 €</b>", Data(cells, "new Money", "text/html"));
        Assert.Contains("Wall time", Stream(cells, "#!time", "stdout"));
        Assert.Equal("80", Data(cells, "#!time", "text/plain"));

        var run = FolkLabRun("kernel-features.ipynb", "features-folk-lab.ipynb");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Json(cells), Json(NotebookOutputs.Read(Path.Combine(_kernel.Work, "features-folk-lab.ipynb"))));
    }

    [JupyterFact]
    public void ErrorsAreReportedWithLineAndTypeAndTheKernelSurvives()
    {
        var jupyter = Nbconvert("kernel-errors.ipynb", "errors-nbconvert.ipynb");
        Assert.True(jupyter.ExitCode == 0, jupyter.ToString());
        var cells = NotebookOutputs.Read(Path.Combine(_kernel.Work, "errors-nbconvert.ipynb"));
        foreach (var cell in cells) log.WriteLine(cell.ToJsonString());

        var compile = Outputs(cells, "undefinedName").Single();
        Assert.Equal("CompilationError", compile!["ename"]!.GetValue<string>());
        Assert.Contains("(1,5): error CS0103: The name 'undefinedName' does not exist", compile["evalue"]!.GetValue<string>());
        var runtime = Outputs(cells, "boom").Single();
        Assert.Equal("InvalidOperationException", runtime!["ename"]!.GetValue<string>());
        Assert.Equal("boom", runtime["evalue"]!.GetValue<string>());
        Assert.StartsWith("System.InvalidOperationException: boom", runtime["traceback"]!.GetValue<string>());
        Assert.Equal("2", Data(cells, "y + 1", "text/plain"));

        // headless: the first failing cell stops the run, exit code 1, the executed notebook still written with the error
        var run = FolkLabRun("kernel-errors.ipynb", "errors-folk-lab.ipynb");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cell 1 failed: CompilationError", run.Error);
        var headless = NotebookOutputs.Read(Path.Combine(_kernel.Work, "errors-folk-lab.ipynb"));
        Assert.Equal(Json(cells.Take(2)), Json(headless.Take(2)));
        Assert.Empty(headless[2]["outputs"]!.AsArray());
    }

    /// <summary>A notebook with C#, F# and Python cells sharing a tensor (C# ↔ Python as .npy, dtype and shape kept;
    /// C# → F# the object itself; F# → Python) and a dictionary (JSON): Jupyter's executor and <c>folk-lab notebook
    /// run</c> give the same outputs.</summary>
    [JupyterFact(AlsoNeeds = "numpy, torch")]
    public void CSharpFSharpAndPythonCellsShareATensorUnderNbconvertAndFolkLabNotebookRun()
    {
        var jupyter = Nbconvert("polyglot.ipynb", "polyglot-nbconvert.ipynb");
        log.WriteLine(jupyter.ToString());
        Assert.True(jupyter.ExitCode == 0, jupyter.ToString());
        var cells = NotebookOutputs.Read(Path.Combine(_kernel.Work, "polyglot-nbconvert.ipynb"));
        foreach (var cell in cells) log.WriteLine(cell.ToJsonString());
        Assert.DoesNotContain(cells.SelectMany(c => c["outputs"]!.AsArray()), o => o!["output_type"]!.GetValue<string>() == "error");

        Assert.Equal("torch.float32 (2, 3, 8, 8)\n", Stream(cells, "print(images.dtype", "stdout"));
        Assert.Equal("True", Data(cells, "pythonAmplitude", "text/plain"));         // PyTorch's FFT of the shared tensor = TorchSharp's
        Assert.Equal("True", Data(cells, "--from fsharp centred", "text/plain"));   // F#'s fftshift of C#'s tensor, checked in Python
        Assert.Equal("'mfm keeps radius 4'", Data(cells, "settings['method']", "text/plain"));

        var run = FolkLabRun("polyglot.ipynb", "polyglot-folk-lab.ipynb");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Json(cells), Json(NotebookOutputs.Read(Path.Combine(_kernel.Work, "polyglot-folk-lab.ipynb"))));
    }

    static string Json(IEnumerable<JsonObject> cells) => new JsonArray(cells.Select(c => (JsonNode)c.DeepClone()).ToArray()).ToJsonString();

    static JsonArray Outputs(List<JsonObject> cells, string sourceContains) =>
        cells.Single(c => c["source"]!.GetValue<string>().Contains(sourceContains))["outputs"]!.AsArray();

    static string? Data(List<JsonObject> cells, string sourceContains, string mime) =>
        Outputs(cells, sourceContains).OfType<JsonObject>().Where(o => o["output_type"]!.GetValue<string>() == "execute_result")
            .Select(o => o["data"]![mime]?.GetValue<string>()).SingleOrDefault();

    static string Stream(List<JsonObject> cells, string sourceContains, string name) =>
        string.Concat(Outputs(cells, sourceContains).OfType<JsonObject>()
            .Where(o => o["output_type"]!.GetValue<string>() == "stream" && o["name"]!.GetValue<string>() == name)
            .Select(o => o["text"]!.GetValue<string>()));
}
