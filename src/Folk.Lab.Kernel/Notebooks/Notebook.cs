using System.Text.Json;
using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Notebooks;

/// <summary>
/// A Jupyter notebook (nbformat 4) as JSON, with typed access to what the runner needs: cells, their kind, source and
/// tags. Everything else in the file (metadata, ids, attachments) is kept as it was.
/// </summary>
public sealed class Notebook
{
    readonly JsonObject _root;

    Notebook(JsonObject root, string source)
    {
        _root = root;
        if (root["nbformat"]?.GetValue<int>() != 4)
            throw new InvalidDataException($"{source}: not an nbformat 4 notebook (nbformat = {root["nbformat"]?.ToJsonString() ?? "missing"}).");
        if (root["cells"] is not JsonArray cells)
            throw new InvalidDataException($"{source}: the notebook has no 'cells' array.");
        for (int i = 0; i < cells.Count; i++)
            if (cells[i] is not JsonObject) throw new InvalidDataException($"{source}: cell {i} is not a JSON object.");
    }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells =>
        _root["cells"]!.AsArray().Select((c, i) => new NotebookCell((JsonObject)c!, i)).ToList();

    /// <summary>The notebook's metadata object (created when missing).</summary>
    public JsonObject Metadata => _root["metadata"] as JsonObject ?? (JsonObject)(_root["metadata"] = new JsonObject());

    /// <summary>Inserts a code cell with <paramref name="source"/> and <paramref name="tags"/> at <paramref name="position"/>.</summary>
    public NotebookCell InsertCodeCell(int position, string source, params string[] tags)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = Guid.NewGuid().ToString("N")[..8],
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()) },
            ["outputs"] = new JsonArray(),
            ["source"] = source,
        };
        _root["cells"]!.AsArray().Insert(position, cell);
        return new NotebookCell(cell, position);
    }

    /// <summary>Writes the notebook to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    /// <summary>An empty notebook (nbformat 4.5) for the C# kernel, to be filled with <see cref="InsertCodeCell"/> and
    /// <see cref="InsertMarkdownCell"/>.</summary>
    public static Notebook Create() => new(new JsonObject
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = "C# (Folk.Lab)", ["language"] = "csharp", ["name"] = "folk-csharp" },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }, "new notebook");

    /// <summary>Inserts a Markdown cell at <paramref name="position"/>.</summary>
    public NotebookCell InsertMarkdownCell(int position, string source)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "markdown", ["id"] = Guid.NewGuid().ToString("N")[..8], ["metadata"] = new JsonObject(), ["source"] = source,
        };
        _root["cells"]!.AsArray().Insert(position, cell);
        return new NotebookCell(cell, position);
    }

    /// <summary>Reads a notebook file.</summary>
    public static Notebook Load(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        return new Notebook(node as JsonObject ?? throw new InvalidDataException($"{path}: the notebook is not a JSON object."), path);
    }

    /// <summary>The kernel language declared in the metadata, if any.</summary>
    public string? Language => _root["metadata"]?["kernelspec"]?["language"]?.GetValue<string>();

    /// <summary>The language of cells that name none: Polyglot Notebooks' <c>polyglot_notebook.kernelInfo.defaultKernelName</c>,
    /// else the kernelspec's language; null when neither is set.</summary>
    public string? DefaultCellLanguage =>
        _root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] is JsonValue v && v.TryGetValue<string>(out var name)
            ? name
            : Language;

    /// <summary>The notebook as JSON text (one-space indent, as Jupyter writes it).</summary>
    public string ToJson() => _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1 });
}

/// <summary>One cell of a <see cref="Notebook"/>.</summary>
public sealed class NotebookCell(JsonObject json, int index)
{
    /// <summary>Position in the notebook, from 0.</summary>
    public int Index { get; } = index;

    /// <summary>"code", "markdown" or "raw".</summary>
    public string Kind => json["cell_type"]?.GetValue<string>() ?? "raw";

    /// <summary>The source text (nbformat stores it as a string or a list of lines).</summary>
    public string Source => json["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue text => text.GetValue<string>(),
        _ => "",
    };

    /// <summary>
    /// The language a notebook saved by Polyglot Notebooks (.NET Interactive) gives the cell in its metadata:
    /// <c>polyglot_notebook.kernelName</c>, or the older <c>dotnet_interactive.language</c>; null when it gives none
    /// (a Jupyter notebook, whose cells are in the kernel's language unless a <c>#!</c> selector says otherwise).
    /// </summary>
    public string? Language =>
        (json["metadata"]?["polyglot_notebook"]?["kernelName"] ?? json["metadata"]?["dotnet_interactive"]?["language"]) is JsonValue v
        && v.TryGetValue<string>(out var name) ? name : null;

    /// <summary>The cell's tags (metadata.tags).</summary>
    public IReadOnlyList<string> Tags =>
        json["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t!.GetValue<string>()).ToList() : Array.Empty<string>();

    /// <summary>Replaces the cell's outputs and execution count (a code cell after running).</summary>
    public void SetOutputs(JsonArray outputs, int? executionCount)
    {
        json["outputs"] = outputs;
        json["execution_count"] = executionCount;
    }

    /// <summary>The execution count of a code cell that ran, or null.</summary>
    public int? ExecutionCount => json["execution_count"] is JsonValue v && v.TryGetValue(out int n) ? n : null;

    /// <summary>The cell's outputs (nbformat output objects).</summary>
    public IReadOnlyList<JsonObject> Outputs =>
        json["outputs"] is JsonArray o ? o.OfType<JsonObject>().ToList() : Array.Empty<JsonObject>();

    /// <summary>True for a code cell that holds saved outputs or an execution count.</summary>
    public bool HasOutputs =>
        Kind == "code" && ((json["outputs"] is JsonArray o && o.Count > 0) || json["execution_count"] is JsonValue);
}
