using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Tests.Support;
using Folk.Lab.Tests.Shared;
using static TorchSharp.torch;

namespace Folk.Lab.Kernel.Tests.Execution;

/// <summary>
/// <c>#!python</c> cells in the engine both the kernel and headless runs use: a real ipykernel process (Debian's
/// Python and PyTorch), values shared both ways with <c>#!share</c>, Python's errors, input and interrupts. One engine
/// (one Python kernel) for the class: starting one takes seconds.
/// </summary>
[Trait("Category", "Slow")]
[Collection(InProcessCellsCollection.Name)]
public sealed class PythonCellTests(PythonCellTests.Engine fixture) : IClassFixture<PythonCellTests.Engine>
{
    public sealed class Engine() : CellEngineFixture(new CellEngine(python: PythonModules.Python));

    readonly Dictionary<string, List<JsonObject>> _displays = [];

    Task<(CellOutcome Outcome, JsonArray Outputs)> Run(string code, ICellInput? input = null, CancellationToken interrupt = default) =>
        fixture.Run(code, input: input, interrupt: interrupt, displays: _displays);

    static string Streams(JsonArray outputs) => CellEngineFixture.Streams(outputs);

    static string Plain(string ansi) => System.Text.RegularExpressions.Regex.Replace(ansi, "\u001b\\[[0-9;]*m", "");


    [PythonKernelFact]
    public async Task ATensorGoesToPythonAndItsResultComesBackWithDtypeShapeAndValues()
    {
        var (made, _) = await Run("var images = torch.arange(12, dtype: torch.ScalarType.Float32).reshape(3, 4);");
        Assert.True(made.Succeeded, made.Error?.Value);

        var (python, outputs) = await Run("""
            #!python
            #!share --from csharp images --as x
            print(type(x).__name__, x.dtype, tuple(x.shape))
            y = (x * 2).sum(dim=0)
            y.tolist()
            """);
        Assert.True(python.Succeeded, python.Error?.Value);
        Assert.Equal("Tensor torch.float32 (3, 4)\n", Streams(outputs));
        Assert.Equal("[24.0, 30.0, 36.0, 42.0]", python.Result!["text/plain"]);

        var (back, _) = await Run("#!share --from python y\ny.dtype == torch.ScalarType.Float32");
        Assert.True(back.Succeeded, back.Error?.Value);
        using var expected = arange(12, dtype: ScalarType.Float32).reshape(3, 4).mul(2).sum(dim: 0);
        var y = Assert.IsType<Tensor>(fixture.Cells.Session.Variable("y"));
        Assert.Equal([4L], y.shape);
        Assert.True(y.eq(expected).all().item<bool>(), string.Join(", ", y.data<float>().ToArray()));
        Assert.Equal("True", back.Result!["text/plain"]);
    }

    [PythonKernelFact]
    public async Task JsonValuesCrossAndAValueThatCannotIsRefusedByName()
    {
        var (python, _) = await Run("#!python\nmeta = {'epochs': 3, 'name': 'mfm', 'radii': [16, 32]}\nimport threading\nlock = threading.Lock()");
        Assert.True(python.Succeeded, python.Error?.Value);
        var (shared, _) = await Run("#!share --from python meta\n(long)meta[\"epochs\"] + 1");
        Assert.True(shared.Succeeded, shared.Error?.Value);
        Assert.Equal("4", shared.Result!["text/plain"]);
        var meta = Assert.IsType<Dictionary<string, object?>>(fixture.Cells.Session.Variable("meta"));
        Assert.Equal([16L, 32L], Assert.IsType<List<object?>>(meta["radii"]));

        var (refused, _) = await Run("#!share --from python lock\nlock");
        Assert.Equal("ValueSharingException", refused.Error!.Name);
        Assert.Contains("'lock' is a Python _thread.lock", refused.Error.Value);

        var (missing, _) = await Run("#!share --from csharp nowhere\n#!python\nnowhere");
        Assert.Contains("no C# variable is named 'nowhere'", missing.Error!.Value);
    }

    [PythonKernelFact]
    public async Task PythonErrorsComeBackAsPythonReportsThem()
    {
        var (failed, _) = await Run("#!python\ndef check(r):\n    raise ValueError(f'radius {r} is outside the spectrum')\ncheck(99)");
        Assert.Equal("ValueError", failed.Error!.Name);
        Assert.Equal("radius 99 is outside the spectrum", failed.Error.Value);
        Assert.Contains(failed.Error.Traceback, line => Plain(line).Contains("check(99)"));   // IPython colours its traceback
        var (after, _) = await Run("#!python\n6 * 7");
        Assert.Equal("42", after.Result!["text/plain"]);
    }

    [PythonKernelFact]
    public async Task InputIsAskedThroughTheCellAndAnInterruptStopsARunningCell()
    {
        var input = new Answers("folk");
        var (asked, _) = await Run("#!python\nname = input('name? ')\nname.upper()", input);
        Assert.Equal("'FOLK'", asked.Result!["text/plain"]);
        Assert.Equal(("name? ", false), input.Questions.Single());

        using var interrupt = new CancellationTokenSource();
        var running = new StreamSignal("running");
        var task = fixture.Cells.ExecuteAsync("#!python\nimport time\nprint('running', flush=True)\ntime.sleep(600)", running, interrupt.Token);
        await running.Seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
        interrupt.Cancel();
        var stopped = await task.WaitAsync(TimeSpan.FromSeconds(60));                 // 600 s of sleep: an answer at all means it stopped
        Assert.Equal("KeyboardInterrupt", stopped.Error!.Name);
        var (alive, _) = await Run("#!python\nname");
        Assert.Equal("'folk'", alive.Result!["text/plain"]);                          // same kernel, state kept
    }

    sealed class Answers(string answer) : ICellInput
    {
        public List<(string Prompt, bool Password)> Questions { get; } = [];

        public string ReadLine(string prompt, bool password, CancellationToken cancellation)
        {
            Questions.Add((prompt, password));
            return answer;
        }
    }

    sealed class StreamSignal(string text) : ICellOutput
    {
        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Stream(string name, string streamed)
        {
            if (streamed.Contains(text)) Seen.TrySetResult();
        }

        public void Display(MimeBundle data, string displayId) { }

        public void UpdateDisplay(MimeBundle data, string displayId) { }
    }
}
