using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Display;

namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Collects one cell's outputs as nbformat output objects, as a Jupyter client would store them: consecutive stream
/// text of the same name is merged, and an update replaces the data of every output shown under that display id
/// (in this cell or an earlier one).
/// </summary>
public sealed class NotebookCellOutput(Dictionary<string, List<JsonObject>> displays) : ICellOutput
{
    readonly object _gate = new();

    /// <summary>The outputs so far.</summary>
    public JsonArray Outputs { get; } = [];

    /// <inheritdoc/>
    public void Stream(string name, string text)
    {
        lock (_gate)
        {
            if (Outputs.Count > 0 && Outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream"
                && last["name"]?.GetValue<string>() == name)
                last["text"] = last["text"]!.GetValue<string>() + text;
            else
                Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
        }
    }

    /// <inheritdoc/>
    public void Display(MimeBundle data, string displayId)
    {
        var output = new JsonObject { ["output_type"] = "display_data", ["data"] = data.ToJson(), ["metadata"] = new JsonObject() };
        lock (_gate)
        {
            Outputs.Add(output);
            if (!displays.TryGetValue(displayId, out var shown)) displays[displayId] = shown = [];
            shown.Add(output);
        }
    }

    /// <inheritdoc/>
    public void UpdateDisplay(MimeBundle data, string displayId)
    {
        lock (_gate)
            if (displays.TryGetValue(displayId, out var shown))
                foreach (var output in shown) output["data"] = data.ToJson();
    }

    /// <summary>Adds the cell's value (execute_result).</summary>
    public void Result(MimeBundle data, int executionCount)
    {
        lock (_gate)
            Outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = data.ToJson(), ["metadata"] = new JsonObject(),
            });
    }

    /// <summary>Adds the cell's error.</summary>
    public void Error(CellError error)
    {
        lock (_gate)
            Outputs.Add(new JsonObject
            {
                ["output_type"] = "error", ["ename"] = error.Name, ["evalue"] = error.Value,
                ["traceback"] = new JsonArray(error.Traceback.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
            });
    }
}
