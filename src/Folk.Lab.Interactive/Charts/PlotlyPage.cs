using System.Reflection;
using System.Text;

namespace Folk.Lab.Interactive.Charts;

/// <summary>
/// plotly.js for pages without internet: the copy that ships inside the Plotly.NET package (2.28.0), loaded once per
/// page. The first chart a process formats carries the library; later charts wait for <c>window.Plotly</c>. An exporter
/// that assembles a whole page strips every carried copy (<see cref="LibraryMarker"/>) and puts one in the head.
/// </summary>
public static class PlotlyPage
{
    /// <summary>The plotly.js version embedded.</summary>
    public const string Version = "2.28.0";

    /// <summary>The attribute that marks the script element carrying the library.</summary>
    public const string LibraryMarker = "data-folk-plotly-library";

    static readonly Lazy<string> LibrarySource = new(Load);
    static int _sent;

    /// <summary>The minified library (about 3.6 MB).</summary>
    public static string Library => LibrarySource.Value;

    /// <summary>
    /// A script element carrying the library, marked with <see cref="LibraryMarker"/>. Where the page has an AMD loader
    /// (the classic Jupyter Notebook's require.js) plotly.js would register as an anonymous module and never set
    /// <c>window.Plotly</c>, which the charts wait for: the loader's <c>define</c> is hidden while the library runs.
    /// </summary>
    public static string LibraryScript =>
        $"<script {LibraryMarker}=\"{Version}\">window.folkLabAmdDefine=window.define;window.define=undefined;try{{\n{Library}\n}}finally{{window.define=window.folkLabAmdDefine;delete window.folkLabAmdDefine;}}</script>";

    /// <summary>True exactly once per process (until <see cref="Reset"/>): the caller then carries the library.</summary>
    public static bool ClaimLibrary() => Interlocked.Exchange(ref _sent, 1) == 0;

    /// <summary>Forgets that the library was sent (a new page or notebook starts).</summary>
    public static void Reset() => Interlocked.Exchange(ref _sent, 0);

    /// <summary>A complete HTML page around <paramref name="body"/> with the library in its head.</summary>
    public static string Standalone(string body, string title) =>
        new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
            .Append(Rendering.Html.Encode(title)).Append("</title>").Append(LibraryScript)
            .Append("</head><body>").Append(body).Append("</body></html>\n").ToString();

    static string Load()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith($"plotly-{Version}.min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"plotly.js {Version} is not embedded in {assembly.GetName().Name} {assembly.GetName().Version}.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // "</script" inside the source would end the element early; "<\/script" is the same string to JavaScript.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
