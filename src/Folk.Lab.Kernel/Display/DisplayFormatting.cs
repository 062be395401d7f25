using Microsoft.DotNet.Interactive.Formatting;

namespace Folk.Lab.Kernel.Display;

/// <summary>
/// Turns a value into a <see cref="MimeBundle"/> through Microsoft.DotNet.Interactive.Formatting's registry, so any
/// library (Folk.Lab.Interactive included) adds rich output with <c>Formatter.Register&lt;T&gt;(…, mimeType)</c>.
/// </summary>
/// <remarks>
/// text/plain is always produced. A richer type (HTML, PNG, SVG, JSON, Markdown, LaTeX) is added only when a formatter
/// was registered for it and the value's type, or when <c>Formatter.SetPreferredMimeTypesFor</c> names it: the
/// generic HTML tables the library would otherwise produce for every object are left out, so plain values stay plain.
/// </remarks>
public static class DisplayFormatting
{
    /// <summary>The rich MIME types a formatter may provide, besides text/plain.</summary>
    public static readonly IReadOnlyList<string> RichMimeTypes =
        ["text/html", "image/png", "image/svg+xml", "application/json", "text/markdown", "text/latex"];

    static DisplayFormatting() => Folk.Lab.Interactive.FolkLabFormatters.Register();

    /// <summary>The bundle of <paramref name="value"/>. A widget (or a view made of widgets) is shown as widgets are:
    /// its comm opens and the front end is asked to show a view, and the bundle holds the view's model id.</summary>
    public static MimeBundle BundleFor(object? value)
    {
        if (value is null) return MimeBundle.PlainText("null");
        var widget = value as Folk.Lab.Interactive.Widgets.Widget ?? (value as Folk.Lab.Interactive.Widgets.IWidgetView)?.View;
        if (widget is not null)
        {
            var shown = new MimeBundle();
            foreach (var (mime, text) in widget.Show()) shown.With(mime, text);
            return shown.With("text/plain", value.ToString() ?? widget.ToString() ?? "widget");
        }
        var bundle = MimeBundle.PlainText(Formatter.ToDisplayString(value, PlainTextFormatter.MimeType));
        if (value is string || value.GetType().IsPrimitive) return bundle;
        var type = value.GetType();
        var registered = Formatter.RegisteredFormatters(false)
            .Where(f => f.MimeType != PlainTextFormatter.MimeType && f.Type.IsAssignableFrom(type))
            .Select(f => f.MimeType);
        var preferred = Formatter.GetPreferredMimeTypesFor(type).Where(m => m != HtmlFormatter.MimeType && m != PlainTextFormatter.MimeType);
        foreach (var mime in registered.Concat(preferred).Distinct().Where(RichMimeTypes.Contains))
            bundle.With(mime, Formatter.ToDisplayString(value, mime));
        return bundle;
    }
}
