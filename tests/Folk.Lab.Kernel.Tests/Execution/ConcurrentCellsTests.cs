using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Tests.Support;

namespace Folk.Lab.Kernel.Tests.Execution;

/// <summary>
/// Console output and input belong to the cell that writes or reads, not to whichever cell of the process began or ended
/// last: two engines running cells at once keep their own output, and a thread no running cell owns writes to the
/// newest running cell. The cells wait on events the test sets, so the interleaving is forced, not hoped for.
/// </summary>
[Trait("Category", "Slow")]
[Collection(InProcessCellsCollection.Name)]
public sealed class ConcurrentCellsTests
{
    static readonly TimeSpan Guard = TimeSpan.FromMinutes(2); // only against a hang: every wait is released by the test

    static async Task<NotebookCellOutput> Run(CellEngine engine, string code)
    {
        var output = new NotebookCellOutput([]);
        var outcome = await engine.ExecuteAsync(code, output);
        Assert.True(outcome.Succeeded, outcome.Error?.Value);
        return output;
    }

    [Fact]
    public async Task TwoEnginesKeepTheirOwnOutputWhenOneCellBeginsAndEndsInsideTheOther()
    {
        using var first = new CellEngine();
        using var second = new CellEngine();
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        await first.Session.DefineAsync("inside", inside);
        await first.Session.DefineAsync("release", release);

        var firstOutput = new NotebookCellOutput([]);
        var running = first.ExecuteAsync("""
            Console.WriteLine("first, before");
            inside.Set();
            release.Wait();
            Console.WriteLine("first, after");
            Console.Error.WriteLine("first, error");
            var line = Console.ReadLine();
            """, firstOutput, input: new Lines("typed into the first"));
        Assert.True(inside.Wait(Guard));

        var secondOutput = new NotebookCellOutput([]);
        var secondOutcome = await second.ExecuteAsync("Console.WriteLine(\"second\"); Console.ReadLine() ?? \"end of file\"", secondOutput);
        release.Set();
        var outcome = await running.WaitAsync(Guard);

        Assert.True(outcome.Succeeded, outcome.Error?.Value);
        Assert.Equal("second\n", CellEngineFixture.Streams(secondOutput.Outputs));
        Assert.Equal("end of file", secondOutcome.Result!["text/plain"]);            // no input of its own: not the first's
        Assert.Equal("first, before\nfirst, after\nfirst, error\n", CellEngineFixture.Streams(firstOutput.Outputs));
        Assert.Equal("typed into the first", first.Session.Variable("line"));
    }

    [Fact]
    public async Task AThreadLeftRunningByAFinishedCellWritesToTheCellRunningNow()
    {
        using var engine = new CellEngine();
        using var go = new ManualResetEventSlim();
        using var written = new ManualResetEventSlim();
        await engine.Session.DefineAsync("go", go);
        await engine.Session.DefineAsync("written", written);

        var starting = await Run(engine, """
            new System.Threading.Thread(() => { go.Wait(); Console.WriteLine("late"); written.Set(); }).Start();
            Console.WriteLine("started");
            """);
        var later = await Run(engine, "go.Set(); written.Wait();");

        Assert.Equal("started\n", CellEngineFixture.Streams(starting.Outputs));
        Assert.Equal("late\n", CellEngineFixture.Streams(later.Outputs));
    }

    /// <summary>Console input that answers each question with the next line.</summary>
    sealed class Lines(params string[] lines) : ICellInput
    {
        readonly Queue<string> _lines = new(lines);

        public string ReadLine(string prompt, bool password, CancellationToken cancellation) => _lines.Dequeue();
    }
}
