using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;

namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>One cell engine shared by a test class (a language session takes seconds to start), and how its tests run
/// a cell and read its streams.</summary>
public abstract class CellEngineFixture(CellEngine cells) : IDisposable
{
    public CellEngine Cells { get; } = cells;

    /// <summary>Runs one cell; its outcome and the outputs a notebook would store.</summary>
    public async Task<(CellOutcome Outcome, JsonArray Outputs)> Run(string code, string? language = null, ICellInput? input = null,
        CancellationToken interrupt = default, Dictionary<string, List<JsonObject>>? displays = null)
    {
        var output = new NotebookCellOutput(displays ?? []);
        var outcome = await Cells.ExecuteAsync(code, output, interrupt, input, language);
        return (outcome, output.Outputs);
    }

    /// <summary>The text of every stream output, in order.</summary>
    public static string Streams(JsonArray outputs) =>
        string.Concat(outputs.OfType<JsonObject>().Where(o => o["output_type"]?.GetValue<string>() == "stream").Select(o => o["text"]!.GetValue<string>()));

    public void Dispose() => Cells.Dispose();
}
