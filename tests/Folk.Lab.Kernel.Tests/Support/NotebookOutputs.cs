using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Folk.Lab.Kernel.Tests.Support;

/// <summary>
/// The outputs of an executed notebook in a comparable form: per code cell, its execution count and outputs with
/// nbformat's line lists joined, consecutive stream chunks merged (their split depends on timing) and wall times masked.
/// </summary>
public static partial class NotebookOutputs
{
    public static List<JsonObject> Read(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().OfType<JsonObject>()
            .Where(c => c["cell_type"]?.GetValue<string>() == "code")
            .Select(Normalise).ToList();

    /// <summary>The text of one output field (nbformat allows a string or a list of lines).</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        null => "",
        _ => node.ToJsonString(),
    };

    static JsonObject Normalise(JsonObject cell)
    {
        var outputs = new JsonArray();
        foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var kind = output["output_type"]!.GetValue<string>();
            if (kind == "stream")
            {
                var name = output["name"]!.GetValue<string>();
                var text = WallTime().Replace(Text(output["text"]), "Wall time: … ms");
                if (outputs.Count > 0 && outputs[^1] is JsonObject last && last["output_type"]!.GetValue<string>() == "stream" && last["name"]!.GetValue<string>() == name)
                    last["text"] = last["text"]!.GetValue<string>() + text;
                else outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
            }
            else if (kind == "error")
                outputs.Add(new JsonObject
                {
                    ["output_type"] = kind, ["ename"] = output["ename"]!.GetValue<string>(), ["evalue"] = output["evalue"]!.GetValue<string>(),
                    ["traceback"] = string.Join('\n', (output["traceback"] as JsonArray ?? []).Select(Text)),
                });
            else
            {
                var data = new JsonObject();
                foreach (var (mime, value) in output["data"]!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
                    data[mime] = mime.Contains("json") ? value!.ToJsonString() : Text(value);
                var normal = new JsonObject { ["output_type"] = kind, ["data"] = data };
                if (kind == "execute_result") normal["execution_count"] = output["execution_count"]!.GetValue<int>();
                outputs.Add(normal);
            }
        }
        return new JsonObject
        {
            ["source"] = Text(cell["source"]),
            ["execution_count"] = cell["execution_count"]?.DeepClone(),
            ["outputs"] = outputs,
        };
    }

    [GeneratedRegex(@"Wall time: [0-9.]+ ms")]
    private static partial Regex WallTime();
}
