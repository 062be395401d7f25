using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Kernel.Tests.Execution;

/// <summary>
/// <c>#!fsharp</c> cells in the engine both the kernel and headless runs use: F# interactive in this process, its state
/// across cells, values shared with C# as the same objects, its errors and displays. One engine (one F# session) for the
/// class: starting one takes seconds.
/// </summary>
[Trait("Category", "Slow")]
[Collection(InProcessCellsCollection.Name)]
public sealed class FSharpCellTests(FSharpCellTests.Engine fixture) : IClassFixture<FSharpCellTests.Engine>
{
    public sealed class Engine() : CellEngineFixture(new CellEngine());

    readonly Dictionary<string, List<JsonObject>> _displays = [];

    Task<(CellOutcome Outcome, JsonArray Outputs)> Run(string code, string? language = null) =>
        fixture.Run(code, language, displays: _displays);

    static string Streams(JsonArray outputs) => CellEngineFixture.Streams(outputs);

    [Fact]
    public async Task StateCarriesOverAndTheLastExpressionIsTheResult()
    {
        var (first, firstOutputs) = await Run("#!fsharp\nlet square x = x * x\nprintfn \"defined\"");
        Assert.True(first.Succeeded, first.Error?.Value);
        Assert.Null(first.Result);                                   // a declaration shows nothing, not F#'s "val" echo
        Assert.Equal("defined\n", Streams(firstOutputs));

        var (second, _) = await Run("[1 .. 4] |> List.map square |> List.sum", language: "fsharp"); // the metadata's language
        Assert.True(second.Succeeded, second.Error?.Value);
        Assert.Equal("30", second.Result!["text/plain"]);
    }

    [Fact]
    public async Task OutputIsStillCapturedAfterSomethingReplacedTheConsole()
    {
        // A library (F# Interactive did, once) sets Console.Out to a writer of its own; the next cell's output must still
        // reach the notebook, not that writer.
        var (replaced, _) = await Run("var elsewhere = new System.IO.StringWriter(); Console.SetOut(elsewhere);");
        Assert.True(replaced.Succeeded, replaced.Error?.Value);
        var (printed, outputs) = await Run("Console.WriteLine(\"still here\");");
        Assert.True(printed.Succeeded, printed.Error?.Value);
        Assert.Equal("still here\n", Streams(outputs));
        Assert.Equal("", ((System.IO.StringWriter)fixture.Cells.Session.Variable("elsewhere")!).ToString());
    }

    [Fact]
    public async Task ATensorCrossesBetweenCSharpAndFSharpAsTheSameObject()
    {
        var (made, _) = await Run("var spectrum = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3);");
        Assert.True(made.Succeeded, made.Error?.Value);
        var original = Assert.IsType<Tensor>(fixture.Cells.Session.Variable("spectrum"));

        var (fsharp, _) = await Run("""
            #!fsharp
            #!share --from csharp spectrum --as s
            let doubled = s * 2.0f
            s.dtype = torch.ScalarType.Float32 && s.shape = [| 2L; 3L |]
            """);
        Assert.True(fsharp.Succeeded, fsharp.Error?.Value);
        Assert.Equal("True", fsharp.Result!["text/plain"]);

        var (back, _) = await Run("#!share --from fsharp s --as again\n#!share --from fsharp doubled\nReferenceEquals(again, spectrum)");
        Assert.True(back.Succeeded, back.Error?.Value);
        Assert.Equal("True", back.Result!["text/plain"]);
        var doubled = Assert.IsType<Tensor>(fixture.Cells.Session.Variable("doubled"));
        using var expected = original * 2;
        Assert.Equal(expected.data<float>().ToArray(), doubled.data<float>().ToArray());
    }

    [Fact]
    public async Task FSharpValuesDisplayThroughTheSameFormattersAsCSharp()
    {
        var (cell, outputs) = await Run("#!fsharp\ndisplay (torch.ones([| 2L; 3L |])) |> ignore\n42");
        Assert.True(cell.Succeeded, cell.Error?.Value);
        var shown = Assert.Single(outputs.OfType<JsonObject>(), o => o["output_type"]?.GetValue<string>() == "display_data");
        var (csharp, csharpOutputs) = await Run("display(torch.ones(2, 3));");
        Assert.True(csharp.Succeeded, csharp.Error?.Value);
        var same = Assert.Single(csharpOutputs.OfType<JsonObject>(), o => o["output_type"]?.GetValue<string>() == "display_data");
        Assert.Equal(same["data"]!.AsObject().Select(p => p.Key).Order(), shown["data"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("42", cell.Result!["text/plain"]);
    }

    [Fact]
    public async Task CompileErrorsNameLineAndColumnAndRuntimeErrorsTheirException()
    {
        var (compile, _) = await Run("#!fsharp\n\nlet n: int = \"four\"");
        Assert.Equal("CompilationError", compile.Error!.Name);
        Assert.Matches(@"^\(3,14\): error FS0001: .*'int'", compile.Error.Traceback[0]);

        var (parse, _) = await Run("#!fsharp\nlet x = (1 +");
        Assert.Equal("CompilationError", parse.Error!.Name);                     // F# returns a parse error as "no value"

        var (runtime, _) = await Run("#!fsharp\nlet energy () : float = failwith \"the spectrum is empty\"\nenergy ()");
        Assert.Equal("Exception", runtime.Error!.Name);
        Assert.Equal("the spectrum is empty", runtime.Error.Value);
        Assert.Equal("   at <cell>", runtime.Error.Traceback[^1]);                 // the cell's frames, not the engine's
        Assert.DoesNotContain(runtime.Error.Traceback, line => line.Contains("Folk.Lab.Kernel") || line.Contains("System.Reflection"));

        var (missing, _) = await Run("#!share --from fsharp nowhere\n1");
        Assert.Contains("no F# value is named 'nowhere'", missing.Error!.Value);

        var (after, _) = await Run("#!fsharp\nlet five = 5\nfive");               // a failed cell leaves the session usable
        Assert.True(after.Succeeded, after.Error?.Value);
    }
}
