namespace Folk.Lab.Experiments;

/// <summary>
/// An ablation study's numbers as a table: the measured rows in the study's order, group by group, one column per
/// setting (k-NN, linear, fine-tune 1 %, …) in percent, and each row's difference from its group's reference. A group
/// whose reference was not measured shows no differences. Rankings are reported, never judged: at quick scale a few
/// points between rows are within a seed's noise.
/// </summary>
public sealed class AblationTable
{
    readonly Dictionary<(int Row, int Setting), double> _values = new();

    /// <summary>The study.</summary>
    public AblationStudy Study { get; }

    /// <summary>The rows shown: the study's rows that were measured, in its order, in the groups where some row
    /// besides the reference was measured.</summary>
    public IReadOnlyList<AblationRow> Rows { get; }

    /// <summary>The columns: settings as <see cref="Evaluation.EvaluationResult.Setting"/> names them.</summary>
    public IReadOnlyList<string> Settings { get; }

    AblationTable(AblationStudy study, IReadOnlyList<AblationRow> rows, IReadOnlyList<string> settings)
    {
        Study = study;
        Rows = rows;
        Settings = settings;
    }

    /// <summary>The table of <paramref name="measurements"/> (rows of <paramref name="study"/>; a row measured twice
    /// keeps its last measurement) over <paramref name="settings"/>.</summary>
    public static AblationTable Build(AblationStudy study, IEnumerable<AblationMeasurement> measurements, IReadOnlyList<string> settings)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(measurements);
        var byKey = new Dictionary<string, AblationMeasurement>();
        foreach (var m in measurements)
        {
            if (!study.Rows.Any(r => r.Key == m.Row.Key))
                throw new ArgumentException($"Row '{m.Row.Key}' is not a row of the {study.Name} study.", nameof(measurements));
            byKey[m.Row.Key] = m;
        }
        var measuredGroups = study.Rows.Where(r => !r.Reference && byKey.ContainsKey(r.Key)).Select(r => r.Group).ToHashSet();
        var rows = study.Rows.Where(r => byKey.ContainsKey(r.Key) && measuredGroups.Contains(r.Group)).ToList();
        var table = new AblationTable(study, rows, settings);
        for (int r = 0; r < rows.Count; r++)
            for (int s = 0; s < settings.Count; s++)
                if (byKey[rows[r].Key].Results.TryGetValue(settings[s], out var result))
                    table._values[(r, s)] = 100 * result.Value;
        return table;
    }

    /// <summary>The value of row <paramref name="row"/> in setting <paramref name="setting"/> (percent), null when not measured.</summary>
    public double? this[int row, int setting] => _values.TryGetValue((row, setting), out var v) ? v : null;

    /// <summary>Row <paramref name="row"/> minus its group's reference (percentage points); null for the reference
    /// itself or when either is missing.</summary>
    public double? Delta(int row, int setting)
    {
        if (Rows[row].Reference) return null;
        int reference = ReferenceIndex(Rows[row].Group);
        return reference < 0 || this[row, setting] is not { } value || this[reference, setting] is not { } baseline ? null : value - baseline;
    }

    /// <summary>The rows of <paramref name="group"/> from the highest value in <paramref name="setting"/> to the lowest
    /// (unmeasured rows left out): the miniature's ranking, to read beside the paper's.</summary>
    public IReadOnlyList<AblationRow> Ranking(string group, string setting)
    {
        int s = IndexOf(setting);
        return Enumerable.Range(0, Rows.Count).Where(r => Rows[r].Group == group && this[r, s] is not null)
            .OrderByDescending(r => this[r, s]).Select(r => Rows[r]).ToList();
    }

    /// <summary>The index of <paramref name="setting"/> among <see cref="Settings"/>.</summary>
    public int IndexOf(string setting) =>
        Settings.ToList().IndexOf(setting) is var i and >= 0 ? i : throw new ArgumentException($"No column '{setting}'; the table has {string.Join(", ", Settings)}.", nameof(setting));

    int ReferenceIndex(string group)
    {
        for (int r = 0; r < Rows.Count; r++)
            if (Rows[r].Group == group && Rows[r].Reference) return r;
        return -1;
    }
}
