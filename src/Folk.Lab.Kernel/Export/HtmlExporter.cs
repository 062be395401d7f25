using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Kernel.Notebooks;
using Markdig;

namespace Folk.Lab.Kernel.Export;

/// <summary>
/// An executed notebook as one self-contained HTML page: Markdown cells rendered, code with its execution count, and
/// every output in the richest form it carries (HTML, SVG, PNG/JPEG, Markdown, LaTeX and JSON as text, plain text,
/// streams, errors). Charts stay interactive: plotly.js is embedded once in the head, from the package, and every
/// copy an output carried is dropped. Nothing is fetched from the network.
/// </summary>
public sealed partial class HtmlExporter : INotebookExporter
{
    /// <summary>Output representations in the order they are preferred (Jupyter's own order).</summary>
    public static readonly IReadOnlyList<string> MimePriority =
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/latex", "application/json", "text/plain"];

    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <inheritdoc/>
    public string Extension => ".html";

    /// <inheritdoc/>
    public void Export(Notebook notebook, string path) => File.WriteAllText(path, Render(notebook, Path.GetFileNameWithoutExtension(path)));

    /// <summary>The report as one HTML string.</summary>
    public static string Render(Notebook notebook, string title)
    {
        var body = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == "markdown")
            {
                body.Append($"<div class=\"cell markdown\">{Markdig.Markdown.ToHtml(cell.Source, Markdown)}</div>\n");
                continue;
            }
            if (cell.Kind != "code") continue;
            var count = cell.ExecutionCount is { } n ? $"{n}" : " ";
            body.Append($"<div class=\"cell code\"><div class=\"input\"><span class=\"prompt\">[{count}]</span><pre>{Encode(cell.Source)}</pre></div>");
            foreach (var output in cell.Outputs) Output(body, output);
            body.Append("</div>\n");
        }
        string content = body.ToString();
        bool charts = content.Contains("Plotly.newPlot", StringComparison.Ordinal);
        var html = new StringBuilder()
            .Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append($"<meta name=\"generator\" content=\"folk-lab notebook export\"><title>{Encode(title)}</title><style>{Style}</style>");
        if (charts) html.Append(PlotlyPage.LibraryScript);
        return html.Append("</head><body><main>\n").Append(content).Append("</main></body></html>\n").ToString();
    }

    const string Style =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f1f1f;margin:0;background:#fafafa}" +
        "main{max-width:72em;margin:0 auto;padding:1.5em 2em;background:#fff}" +
        ".cell{margin:0.8em 0}.input{display:flex;gap:.5em}.prompt{color:#68217a;font:12px monospace;min-width:3.5em;text-align:right;padding-top:.6em}" +
        ".input pre{flex:1;background:#f6f6f8;border-left:3px solid #68217a;padding:.5em .8em;margin:0;overflow:auto;font-size:13px}" +
        ".output{margin:.4em 0 .4em 4em;overflow-x:auto}.output pre{margin:0;font-size:12.5px;white-space:pre-wrap}" +
        ".stderr pre{background:#fff4e5}.error pre{background:#fdecea;color:#8a1c1c;padding:.5em}" +
        ".markdown{line-height:1.5}.markdown code{background:#f1f1f3;padding:0 .2em;border-radius:3px}" +
        ".markdown table{border-collapse:collapse}.markdown td,.markdown th{border:1px solid #ddd;padding:2px 8px}" +
        // the page carries no math engine (it stays self-contained and offline): display math is set apart as its TeX source
        ".markdown div.math{text-align:center;font:14px monospace;background:#f6f4fa;padding:.4em;margin:.6em 3em;border-radius:4px}" +
        ".markdown span.math{font-family:monospace}";

    static void Output(StringBuilder html, JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                html.Append($"<div class=\"output {name}\"><pre>{Encode(Text(output["text"]))}</pre></div>");
                break;
            case "error":
                var traceback = string.Join('\n', (output["traceback"] as JsonArray ?? []).Select(Text));
                if (traceback.Length == 0) traceback = $"{Text(output["ename"])}: {Text(output["evalue"])}";
                html.Append($"<div class=\"output error\"><pre>{Encode(Ansi().Replace(traceback, ""))}</pre></div>");
                break;
            case "display_data" or "execute_result" when output["data"] is JsonObject data:
                html.Append("<div class=\"output\">").Append(Rich(data)).Append("</div>");
                break;
        }
    }

    /// <summary>The HTML of the richest representation in a MIME bundle.</summary>
    public static string Rich(JsonObject data)
    {
        var mime = MimePriority.FirstOrDefault(data.ContainsKey);
        var value = mime is null ? "" : mime.EndsWith("json", StringComparison.Ordinal) ? data[mime]!.ToJsonString() : Text(data[mime]);
        return mime switch
        {
            "text/html" => LibraryScripts().Replace(value, ""),
            "image/svg+xml" => value,
            "image/png" or "image/jpeg" => $"<img src=\"data:{mime};base64,{value.Replace("\n", "").Trim()}\" alt=\"output image\">",
            "text/markdown" => Markdig.Markdown.ToHtml(value, Markdown),
            "text/latex" or "application/json" or "text/plain" => $"<pre>{Encode(value)}</pre>",
            _ => "",
        };
    }

    static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.ToString(),
        _ => "",
    };

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"<script " + PlotlyPage.LibraryMarker + @"[^>]*>.*?</script>", RegexOptions.Singleline)]
    private static partial Regex LibraryScripts();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
