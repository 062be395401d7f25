using Folk.Lab.Evaluation;
using Folk.Lab.Interactive.Charts;
using Folk.Lab.Interactive.Rendering;
using Folk.Lab.Interactive.Views;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace Folk.Lab.Interactive;

/// <summary>
/// The single entry point that teaches Microsoft.DotNet.Interactive.Formatting how to show Folk.Lab's views: one line per
/// view type and MIME type. Folk.Lab's kernel calls it at start; any host using the Formatting library can too.
/// Every view also has text/plain (its <c>ToString()</c>).
/// </summary>
public static class FolkLabFormatters
{
    static int _registered;

    /// <summary>Registers every formatter (idempotent, thread-safe).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Html<ImageGrid>(v => v.ToHtml());
        Html<SpectrumView>(v => v.ToHtml());
        Html<RadialProfileView>(v => v.ToHtml());
        Html<DegradationCurves>(v => v.ToHtml());
        Html<ResultsTableChart>(v => v.ToHtml());
        Html<CorruptionErrorGrid>(v => v.ToHtml());
        Html<MaskOverlay>(v => v.ToHtml());
        Html<SegmentationOverlay>(v => v.ToHtml());
        Html<CorruptionStory>(v => v.ToHtml());
        Html<AttentionMap>(v => v.ToHtml());
        Html<TrainingMonitor>(v => v.ToHtml());
        Html<ComparisonTable>(v => v.ToHtml());
        Html<SeriesChart>(v => v.ToHtml());
        Html<ResultsTableView>(v => v.ToHtml());
        Formatter.Register<ResultsTable>((table, writer) => writer.Write(new ResultsTableView(table).ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<ResultsTable>((table, writer) => writer.Write(ResultsTableText.Markdown(table)), PlainTextFormatter.MimeType);
        Html<MaskAblationExplorer>(v => v.ToHtml());
        Html<AblationTableView>(v => v.ToHtml());
        Html<LossCurves>(v => v.ToHtml());
        Html<PlotlyFigure>(v => v.ToHtml());
        Html<DataFrame>(v => DataFrameTable.ToHtml(v));
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(DataFrameTable.ToText(frame)), PlainTextFormatter.MimeType);
        Formatter.Register<SvgLineChart>((chart, writer) => writer.Write(chart.ToSvg()), "image/svg+xml");
        Formatter.Register<RgbImage>((image, writer) => writer.Write(Convert.ToBase64String(Png.Encode(image))), "image/png");
        Formatter.Register<RgbImage>((image, writer) => writer.Write($"RgbImage {image.Width}×{image.Height}"), PlainTextFormatter.MimeType);
        Formatter.Register<CheckResult>((check, writer) => writer.Write(check.ToString()), PlainTextFormatter.MimeType);
    }

    static void Html<T>(Func<T, string> html)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(value?.ToString()), PlainTextFormatter.MimeType);
    }
}
