using System.Text.RegularExpressions;
using Folk.Lab.Interactive;
using Folk.Lab.Interactive.Rendering;
using Microsoft.DotNet.Interactive.Formatting;

namespace Folk.Lab.Interactive.Tests.Support;

/// <summary>What a front end would receive for a value: its HTML and text, through the registered formatters.</summary>
internal static partial class Bundles
{
    static Bundles() => FolkLabFormatters.Register();

    public static string Html(object value) => Formatter.ToDisplayString(value, HtmlFormatter.MimeType);

    public static string Text(object value) => Formatter.ToDisplayString(value, PlainTextFormatter.MimeType);

    /// <summary>Every inline PNG in an HTML fragment, decoded.</summary>
    public static IReadOnlyList<RgbImage> Images(string html) =>
        DataUri().Matches(html).Select(m => Png.Decode(Convert.FromBase64String(m.Groups[1].Value))).ToList();

    [GeneratedRegex("data:image/png;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex DataUri();
}
