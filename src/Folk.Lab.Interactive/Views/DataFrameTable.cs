using System.Globalization;
using System.Text;
using Folk.Lab.Interactive.Rendering;
using Microsoft.Data.Analysis;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// A Microsoft.Data.Analysis <see cref="DataFrame"/> as a clean HTML table: column names with their types, numbers
/// right-aligned with 4 significant digits, missing values blank, and at most <c>maxRows</c> rows (the rest counted).
/// </summary>
public static class DataFrameTable
{
    /// <summary>Shared table style (also used by <see cref="ComparisonTable"/>).</summary>
    internal const string TableStyle = "border-collapse:collapse;" + Html.Font;
    internal const string HeadStyle = "border-bottom:2px solid #444;padding:3px 10px;text-align:left";
    internal const string CellStyle = "border-bottom:1px solid #e4e4e4;padding:3px 10px";

    /// <summary>The table's HTML.</summary>
    public static string ToHtml(DataFrame frame, int maxRows = 25)
    {
        var html = new StringBuilder($"<table class=\"folk-table\" style=\"{TableStyle}\"><thead><tr>");
        foreach (var column in frame.Columns)
            html.Append($"<th style=\"{HeadStyle}\">{Html.Encode(column.Name)}<br><span style=\"font-weight:400;color:#888;font-size:10px\">{Html.Encode(TypeName(column.DataType))}</span></th>");
        html.Append("</tr></thead><tbody>");
        long shown = Math.Min(frame.Rows.Count, maxRows);
        for (long r = 0; r < shown; r++)
        {
            html.Append("<tr>");
            foreach (var column in frame.Columns)
            {
                var value = column[r];
                bool numeric = value is IConvertible and not string and not bool and not char;
                html.Append($"<td style=\"{CellStyle};text-align:{(numeric ? "right" : "left")}\">{Html.Encode(Cell(value))}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (frame.Rows.Count > shown)
            html.Append($"<div style=\"{Html.Font};color:#888\">… {frame.Rows.Count - shown} more row(s), {frame.Rows.Count} in all</div>");
        return $"<div class=\"folk-view\">{html}</div>";
    }

    /// <summary>A plain-text rendering (aligned columns), for text/plain.</summary>
    public static string ToText(DataFrame frame, int maxRows = 25)
    {
        var columns = frame.Columns.ToList();
        long shown = Math.Min(frame.Rows.Count, maxRows);
        var cells = new List<string[]> { columns.Select(c => c.Name).ToArray() };
        for (long r = 0; r < shown; r++) cells.Add(columns.Select(c => Cell(c[r])).ToArray());
        var widths = columns.Select((_, i) => cells.Max(row => row[i].Length)).ToArray();
        var text = string.Join('\n', cells.Select(row => string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd()));
        return frame.Rows.Count > shown ? text + $"\n… {frame.Rows.Count - shown} more row(s)" : text;
    }

    static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("g4", CultureInfo.InvariantCulture),
        float f => f.ToString("g4", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static string TypeName(Type type) => type == typeof(double) ? "double" : type == typeof(float) ? "float" : type == typeof(int) ? "int"
        : type == typeof(long) ? "long" : type == typeof(string) ? "string" : type == typeof(bool) ? "bool" : type.Name;
}
