using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Kernel.Export;

/// <summary>
/// A minimal self-contained HTML report: markdown cells as preformatted text, code and outputs in order, images
/// inline as data URIs, HTML and SVG outputs as they are. No scripts, no network.
/// </summary>
public sealed class HtmlExporter : INotebookExporter
{
    /// <inheritdoc/>
    public string Extension => ".html";

    /// <inheritdoc/>
    public void Export(Notebook notebook, string path) => File.WriteAllText(path, Render(notebook, Path.GetFileNameWithoutExtension(path)));

    /// <summary>The report as one HTML string.</summary>
    public static string Render(Notebook notebook, string title)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Encode(title)}</title><style>")
            .Append("body{font-family:sans-serif;max-width:60em;margin:2em auto}pre{background:#f6f6f6;padding:.5em;overflow:auto}")
            .Append(".code{border-left:3px solid #68217a}.error{background:#fdecea}.cell{margin:1em 0}.md{white-space:pre-wrap}")
            .Append("</style></head><body>\n");
        foreach (var cell in notebook.Cells)
        {
            html.Append("<div class=\"cell\">");
            if (cell.Kind == "markdown") html.Append($"<div class=\"md\">{Encode(cell.Source)}</div>");
            else if (cell.Kind == "code")
            {
                html.Append($"<pre class=\"code\">{Encode(cell.Source)}</pre>");
                foreach (var output in cell.Outputs) Output(html, output);
            }
            html.Append("</div>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    static void Output(StringBuilder html, JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                html.Append($"<pre class=\"{output["name"]}\">{Encode(Text(output["text"]))}</pre>");
                break;
            case "error":
                html.Append($"<pre class=\"error\">{Encode(string.Join('\n', (output["traceback"] as JsonArray ?? []).Select(Text)))}</pre>");
                break;
            case "display_data" or "execute_result" when output["data"] is JsonObject data:
                if (data["image/png"] is { } png) html.Append($"<img src=\"data:image/png;base64,{Text(png).Trim()}\">");
                else if (data["image/svg+xml"] is { } svg) html.Append(Text(svg));
                else if (data["text/html"] is { } h) html.Append(Text(h));
                else if (data["text/plain"] is { } plain) html.Append($"<pre>{Encode(Text(plain))}</pre>");
                break;
        }
    }

    static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}
