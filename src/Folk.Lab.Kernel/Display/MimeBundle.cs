using System.Text.Json.Nodes;

namespace Folk.Lab.Kernel.Display;

/// <summary>
/// One value in several representations, keyed by MIME type (the <c>data</c> of display_data and execute_result).
/// text/plain is always present; JSON types hold parsed JSON, the others text (base64 for images).
/// </summary>
public sealed class MimeBundle
{
    readonly SortedDictionary<string, string> _data = new(StringComparer.Ordinal);

    /// <summary>The MIME types present, in a stable order.</summary>
    public IEnumerable<string> MimeTypes => _data.Keys;

    /// <summary>The representation of one MIME type, or null.</summary>
    public string? this[string mimeType] => _data.GetValueOrDefault(mimeType);

    /// <summary>Adds or replaces one representation.</summary>
    public MimeBundle With(string mimeType, string text)
    {
        _data[mimeType] = text;
        return this;
    }

    /// <summary>A bundle holding only text/plain.</summary>
    public static MimeBundle PlainText(string text) => new MimeBundle().With("text/plain", text);

    /// <summary>The bundle as nbformat/Jupyter <c>data</c>: JSON MIME types as JSON, the rest as strings.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (mime, text) in _data)
            json[mime] = IsJson(mime) ? JsonNode.Parse(text) : JsonValue.Create(text);
        return json;
    }

    static bool IsJson(string mime) => mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal);
}
