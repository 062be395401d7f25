namespace Folk.Lab.Experiments;

/// <summary>
/// A paper's ablations as rows (<see cref="AblationRow"/>), grouped by what each group varies, with what the paper
/// finds for each group. <see cref="MfmAblations"/> and <see cref="FolkAblations"/> are the two studies; notebooks 06
/// and 07 run them, <see cref="AblationCommands"/> writes their full-scale command lines.
/// </summary>
/// <param name="Name">"mfm" or "folk".</param>
/// <param name="Title">The table's caption.</param>
/// <param name="Rows">The rows, group by group, in the paper's order where it has one.</param>
/// <param name="Findings">Per group, the paper's finding with its source (or that it was not available to us).</param>
public sealed record AblationStudy(string Name, string Title, IReadOnlyList<AblationRow> Rows, IReadOnlyDictionary<string, string> Findings)
{
    /// <summary>The groups, in row order.</summary>
    public IReadOnlyList<string> Groups => Rows.Select(r => r.Group).Distinct().ToList();

    /// <summary>The rows that run at quick scale: the quick rows of every group where something besides the reference
    /// runs quick (a reference alone compares with nothing).</summary>
    public IReadOnlyList<AblationRow> QuickRows
    {
        get
        {
            var groups = Rows.Where(r => r.Quick && !r.Reference).Select(r => r.Group).ToHashSet();
            return Rows.Where(r => r.Quick && groups.Contains(r.Group)).ToList();
        }
    }

    /// <summary>The reference row of <paramref name="group"/>.</summary>
    /// <exception cref="InvalidOperationException">The group has no reference row, or several.</exception>
    public AblationRow ReferenceOf(string group) => Rows.Single(r => r.Group == group && r.Reference);

    /// <summary>One row per distinct pre-training run (the first row naming it), in row order: what must be trained.</summary>
    public IReadOnlyList<AblationRow> Runs(bool quickOnly) =>
        Rows.Where(r => !quickOnly || r.Quick).GroupBy(r => r.Run).Select(g => Rows.First(r => r.Key == g.Key)).ToList();
}
