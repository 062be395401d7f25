using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Tests.Support;
using Folk.Lab.Interactive.Tests.Views;
using Folk.Lab.Kernel.Export;
using Folk.Lab.Kernel.Notebooks;

namespace Folk.Lab.Interactive.Tests.Export;

[Collection(nameof(PlotlyPageCollection))]
public class HtmlExporterTests
{
    [Fact]
    public void EveryOutputIsInThePageAndPlotlyJsOnceInTheHead()
    {
        var notebook = ViewReport.Build();
        var html = HtmlExporter.Render(notebook, "tour");
        Assert.Single(Regex.Matches(html, PlotlyPage.LibraryMarker));
        int head = html.IndexOf("</head>", StringComparison.Ordinal);
        Assert.True(html.IndexOf(PlotlyPage.LibraryMarker, StringComparison.Ordinal) < head);
        Assert.Equal(ViewReport.Charts, Regex.Matches(html[head..], "Plotly.newPlot\\(").Count);
        Assert.Contains("<h1", html);                       // Markdown rendered
        Assert.Contains("<strong>view</strong>", html);
        Assert.Contains("[3]", html);                       // execution counts
        Assert.Contains("<pre>done\n</pre>", html);         // streams
        Assert.Contains("folk-comparison", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("https://", html[head..]);   // nothing to fetch (the library's own default URLs aside)
        Assert.True(Bundles.Images(html[head..]).Count >= 20);
    }

    [Fact]
    public void ImagesMarkdownErrorsAndPlainTextAreExportedInTheirRichestForm()
    {
        var notebook = Notebook.Create();
        var cell = notebook.InsertCodeCell(0, "x");
        cell.SetOutputs(
        [
            new JsonObject { ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                             ["data"] = new JsonObject { ["text/plain"] = "md", ["text/markdown"] = new JsonArray("**bold**", " text") } },
            new JsonObject { ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                             ["data"] = new JsonObject { ["text/plain"] = "<x>", ["application/json"] = new JsonObject { ["a"] = 1 } } },
            new JsonObject { ["output_type"] = "execute_result", ["execution_count"] = 1, ["metadata"] = new JsonObject(),
                             ["data"] = new JsonObject { ["text/plain"] = "a < b" } },
            new JsonObject { ["output_type"] = "error", ["ename"] = "E", ["evalue"] = "v", ["traceback"] = new JsonArray("\u001b[31mE: v\u001b[0m") },
        ], 1);
        var html = HtmlExporter.Render(notebook, "t");
        Assert.Contains("<strong>bold</strong> text", html);
        Assert.Contains("{&quot;a&quot;:1}", html);
        Assert.Contains("a &lt; b", html);
        Assert.Contains("<pre>E: v</pre>", html);           // ANSI colours stripped
        Assert.DoesNotContain(PlotlyPage.LibraryMarker, html); // no chart, no library
    }
}
