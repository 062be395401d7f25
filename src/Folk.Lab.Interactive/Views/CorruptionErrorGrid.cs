using System.Globalization;
using System.Text;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Evaluation.Robustness;
using Folk.Lab.Interactive.Rendering;

namespace Folk.Lab.Interactive.Views;

/// <summary>
/// ImageNet-C's table at a glance: one row per corruption (grouped by family), and for each classifier its top-1 error
/// at severities 1–5 and their mean, every cell shaded from white (its clean error or lower) to red (100 %), so where
/// a corruption hurts and how fast it grows with severity reads as a picture; the clean error heads each block.
/// </summary>
/// <param name="Classifiers">Each classifier's name and its errors (<see cref="CorruptionErrors.From"/>).</param>
/// <param name="Title">Caption above the table.</param>
public sealed record CorruptionErrorGrid(IReadOnlyList<(string Name, CorruptionErrors Errors)> Classifiers, string Title = "Top-1 error (%) under the ImageNet-C corruptions")
{
    /// <summary>The grid of several classifiers, side by side.</summary>
    public static CorruptionErrorGrid Of(params (string Name, CorruptionErrors Errors)[] classifiers) => new(classifiers);

    /// <summary>The corruptions measured by any classifier, in the benchmark's order.</summary>
    public IReadOnlyList<CommonCorruption> Corruptions =>
        CommonCorruptions.All.Where(c => Classifiers.Any(k => k.Errors.Corruptions.Contains(c))).ToArray();

    /// <summary>The shade of an error: white at or below <paramref name="clean"/>, pure red at 1.</summary>
    public static string Shade(double error, double clean)
    {
        double t = clean >= 1 ? 0 : Math.Clamp((error - clean) / (1 - clean), 0, 1);
        int fade = (int)Math.Round(255 * (1 - 0.75 * t));
        return $"rgb(255,{fade},{fade})";
    }

    /// <summary>The table's HTML.</summary>
    public string ToHtml()
    {
        const string cell = "padding:2px 6px;text-align:right;border-bottom:1px solid #eee";
        var html = new StringBuilder($"<div class=\"folk-view\"><div style=\"{Html.Font};font-weight:600;margin-bottom:4px\">{Html.Encode(Title)}</div>")
            .Append($"<table class=\"folk-table folk-corruption-grid\" style=\"border-collapse:collapse;{Html.Font}\"><thead><tr><th style=\"padding:2px 6px\"></th>");
        foreach (var (name, errors) in Classifiers)
            html.Append($"<th colspan=\"6\" style=\"padding:2px 6px;border-bottom:2px solid #444;border-left:2px solid #fff\">{Html.Encode(name)} · clean {Percent(errors.CleanError)}</th>");
        html.Append("</tr><tr><th style=\"padding:2px 6px;text-align:left\">corruption</th>");
        foreach (var _ in Classifiers)
        {
            for (int s = 1; s <= 5; s++) html.Append($"<th style=\"{cell};{(s == 1 ? "border-left:2px solid #fff" : "")}\">{s}</th>");
            html.Append($"<th style=\"{cell}\">mean</th>");
        }
        html.Append("</tr></thead><tbody>");
        CorruptionFamily? family = null;
        foreach (var c in Corruptions)
        {
            if (c.FamilyOf() != family)
            {
                family = c.FamilyOf();
                html.Append($"<tr><td colspan=\"{1 + 6 * Classifiers.Count}\" style=\"padding:4px 6px 1px;font-weight:600;color:#666\">{family.ToString()!.ToLowerInvariant()}</td></tr>");
            }
            html.Append($"<tr><td style=\"padding:2px 6px\">{Html.Encode(c.Name())}</td>");
            foreach (var (_, errors) in Classifiers)
            {
                var severities = errors.Corruptions.Contains(c) ? errors.Severities(c) : [];
                for (int s = 1; s <= 5; s++)
                {
                    string border = s == 1 ? "border-left:2px solid #fff;" : "";
                    html.Append(severities.Contains(s)
                        ? $"<td style=\"{cell};{border}background:{Shade(errors.Error(c, s), errors.CleanError)}\">{Number(errors.Error(c, s))}</td>"
                        : $"<td style=\"{cell};{border}color:#bbb\">—</td>");
                }
                html.Append(severities.Count > 0
                    ? $"<td style=\"{cell};font-weight:600;background:{Shade(errors.MeanError(c), errors.CleanError)}\">{Number(errors.MeanError(c))}</td>"
                    : $"<td style=\"{cell};color:#bbb\">—</td>");
            }
            html.Append("</tr>");
        }
        html.Append($"<tr><td style=\"padding:3px 6px;font-weight:600;border-top:2px solid #444\">mean of all</td>");
        foreach (var (_, errors) in Classifiers)
            html.Append($"<td colspan=\"6\" style=\"{cell};font-weight:600;border-top:2px solid #444\">{Number(errors.UnnormalizedMeanError)}</td>");
        html.Append("</tr></tbody></table></div>");
        return html.ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder("CorruptionErrorGrid: mean error ");
        text.Append(string.Join("; ", Classifiers.Select(k => $"{k.Name} {Percent(k.Errors.UnnormalizedMeanError)} (clean {Percent(k.Errors.CleanError)})")));
        foreach (var c in Corruptions)
            text.Append('\n').Append(c.Name().PadRight(18))
                .Append(string.Join("  |  ", Classifiers.Select(k => k.Errors.Corruptions.Contains(c)
                    ? string.Join(" ", k.Errors.Severities(c).Select(s => Number(k.Errors.Error(c, s)).PadLeft(5)))
                    : "—")));
        return text.ToString();
    }

    static string Number(double error) => (100 * error).ToString("F1", CultureInfo.InvariantCulture);

    static string Percent(double error) => Number(error) + " %";
}
