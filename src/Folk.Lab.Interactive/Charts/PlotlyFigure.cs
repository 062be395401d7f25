using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Rendering;

namespace Folk.Lab.Interactive.Charts;

/// <summary>
/// A plotly.js figure as its JSON (traces, layout, config), rendered into a div by a small script. The views build
/// these directly: the JSON schema is plotly.js's own, so what a view sets is what the documentation describes.
/// </summary>
public sealed class PlotlyFigure
{
    static int _ids;

    // Base64 images stay as they are ('+' is not escaped); ToHtml keeps "</" from closing the script.
    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A figure of <paramref name="data"/> traces laid out by <paramref name="layout"/>.</summary>
    public PlotlyFigure(JsonArray data, JsonObject layout, int width = 640, int height = 400)
    {
        Data = data;
        Layout = layout;
        Width = width;
        Height = height;
    }

    /// <summary>The traces.</summary>
    public JsonArray Data { get; }

    /// <summary>The layout (axes, sliders, menus, annotations).</summary>
    public JsonObject Layout { get; }

    /// <summary>Width in CSS pixels.</summary>
    public int Width { get; }

    /// <summary>Height in CSS pixels.</summary>
    public int Height { get; }

    /// <summary>The figure as plotly.js JSON: <c>{data, layout, config}</c>.</summary>
    public string ToJson()
    {
        var layout = (JsonObject)Layout.DeepClone();
        layout["width"] ??= Width;
        layout["height"] ??= Height;
        var figure = new JsonObject
        {
            ["data"] = Data.DeepClone(),
            ["layout"] = layout,
            ["config"] = new JsonObject { ["responsive"] = false, ["displaylogo"] = false },
        };
        return figure.ToJsonString(Compact);
    }

    /// <summary>
    /// A div and the script that draws into it. The library comes along when <paramref name="includeLibrary"/> is true,
    /// or, when it is null, with the first figure of the process (<see cref="PlotlyPage.ClaimLibrary"/>).
    /// </summary>
    public string ToHtml(bool? includeLibrary = null)
    {
        string id = $"folk-plot-{Environment.ProcessId:x}-{Interlocked.Increment(ref _ids)}-{Guid.NewGuid():N}"[..32];
        bool library = includeLibrary ?? PlotlyPage.ClaimLibrary();
        // JSON inside a script: keep "</" from closing it.
        string json = ToJson().Replace("</", "<\\/", StringComparison.Ordinal);
        return (library ? PlotlyPage.LibraryScript : "")
            + $"<div id=\"{id}\" class=\"folk-plot\" style=\"width:{Width}px;height:{Height}px;{Html.Font}\"></div>"
            + "<script>(function(){var f=" + json + ";function draw(){var el=document.getElementById('" + id + "');"
            + "if(el){Plotly.newPlot(el,f.data,f.layout,f.config);}}"
            + "if(window.Plotly){draw();}else{var n=0,t=setInterval(function(){if(window.Plotly||++n>400){clearInterval(t);if(window.Plotly)draw();}},25);}})();</script>";
    }

    /// <inheritdoc/>
    public override string ToString() => $"PlotlyFigure: {Data.Count} trace(s), {Width}×{Height}";
}
