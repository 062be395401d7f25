namespace Folk.Lab.Evaluation;

/// <summary>
/// How a paper lays out its table: the order of the rows (methods) and their names, and which settings become
/// columns, in what order and under what heading. Rows and columns a layout does not name still appear, after the
/// named ones, under their own names: a table never drops a result.
/// </summary>
/// <param name="Paper">The paper ("mfm", "folk").</param>
/// <param name="Title">The table's caption.</param>
/// <param name="Rows">Methods in the paper's order, with the paper's names (method → name).</param>
/// <param name="Columns">Settings in the paper's order, with the paper's headings (setting → heading).</param>
public sealed record PaperLayout(
    string Paper, string Title, IReadOnlyList<KeyValuePair<string, string>> Rows, IReadOnlyList<KeyValuePair<string, string>> Columns)
{
    /// <summary>No paper's layout: the usual method order and names, and the settings under their own names.</summary>
    public static PaperLayout Default { get; } = new("", "Results",
        Pairs(("mfm", "MFM"), ("folk", "FOLK"), ("sr", "SR"), ("deblur", "Deblur"), ("denoise", "Denoise"), ("supervised", "Supervised (from scratch)"), ("random", "Random init")),
        Pairs(("fine-tune", "fine-tune"), ("fine-tune 1 %", "fine-tune 1 %"), ("fine-tune 10 %", "fine-tune 10 %"), ("linear", "linear"), ("k-NN", "k-NN"),
              ("segmentation", "segmentation mIoU")));

    /// <summary>
    /// MFM's restoration-baseline comparison (arXiv 2206.07706; the official README's "Models" tables): MFM against
    /// the SR, Deblur and Denoise pre-training in the same framework, then the from-scratch and random baselines;
    /// fine-tuning top-1 first, then the probes, then semantic segmentation (§4, ADE20K mIoU).
    /// </summary>
    public static PaperLayout Mfm { get; } = new("mfm", "MFM vs restoration pre-training (arXiv 2206.07706; official README, Models)",
        Pairs(("mfm", "MFM"), ("sr", "SR"), ("deblur", "Deblur"), ("denoise", "Denoise"), ("supervised", "Supervised (from scratch)"), ("random", "Random init")),
        Pairs(("fine-tune", "Top-1 acc (%)"), ("linear", "Linear probe top-1 (%)"), ("k-NN", "k-NN top-1 (%)"), ("segmentation", "Segmentation mIoU (%)")));

    /// <summary>
    /// FOLK's classification tables (arXiv 2409.10362, Section 4): full fine-tuning, and few-shot fine-tuning with 1 %
    /// and 10 % of the labels; FOLK first, then MFM, the restoration baselines and the from-scratch and random rows;
    /// semantic segmentation (ADE20K mIoU) last.
    /// </summary>
    public static PaperLayout Folk { get; } = new("folk", "FOLK: fine-tuning and few-shot (arXiv 2409.10362, Section 4)",
        Pairs(("folk", "FOLK"), ("mfm", "MFM"), ("sr", "SR"), ("deblur", "Deblur"), ("denoise", "Denoise"), ("supervised", "Supervised (from scratch)"), ("random", "Random init")),
        Pairs(("fine-tune", "Fine-tune top-1 (%)"), ("fine-tune 1 %", "1 % labels top-1 (%)"), ("fine-tune 10 %", "10 % labels top-1 (%)"),
              ("linear", "Linear probe top-1 (%)"), ("k-NN", "k-NN top-1 (%)"), ("segmentation", "Segmentation mIoU (%)")));

    /// <summary>
    /// MFM's robustness table (arXiv 2206.07706, Table 4): ImageNet-C mCE (lower is better), then top-1 on ImageNet-A,
    /// -R and -Sketch, the fine-tuned classifiers of each pre-training method in rows (<c>folk-lab eval robustness</c>).
    /// </summary>
    public static PaperLayout MfmRobustness { get; } = new("mfm-robustness", "Robustness of fine-tuned classifiers (arXiv 2206.07706, Table 4)",
        Pairs(("mfm", "MFM"), ("folk", "FOLK"), ("sr", "SR"), ("deblur", "Deblur"), ("denoise", "Denoise"), ("supervised", "Supervised (from scratch)"), ("random", "Random init")),
        Pairs(("clean", "clean top-1 (%)"), ("corruptions", "corruptions: mCE, or mean error off ImageNet (%, ↓)"), ("imagenet-a", "IN-A top-1 (%)"),
              ("imagenet-r", "IN-R top-1 (%)"), ("imagenet-sketch", "IN-SK top-1 (%)")));

    /// <summary>The layout of <paramref name="paper"/> ("mfm", "folk" or "mfm-robustness").</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static PaperLayout Of(string paper) => paper.ToLowerInvariant() switch
    {
        "mfm" => Mfm,
        "folk" => Folk,
        "mfm-robustness" => MfmRobustness,
        _ => throw new ArgumentException($"No table layout for the paper '{paper}'; use mfm, folk or mfm-robustness.", nameof(paper)),
    };

    /// <summary>The row name of <paramref name="method"/>: the layout's, else the usual one (<see cref="Default"/>), else
    /// the method itself.</summary>
    public string RowName(string method) => Name(Rows, method) ?? (ReferenceEquals(this, Default) ? null : Default.RowName(method)) ?? method;

    /// <summary>The heading of <paramref name="setting"/>: the layout's, else the setting itself.</summary>
    public string ColumnName(string setting) => Name(Columns, setting) ?? setting;

    /// <summary>Sort position of a method: its index in <see cref="Rows"/>, after them all when it is not listed.</summary>
    public int RowRank(string method) => Rank(Rows, method);

    /// <summary>Sort position of a setting: its index in <see cref="Columns"/>, after them all when it is not listed.</summary>
    public int ColumnRank(string setting) => Rank(Columns, setting);

    static int Rank(IReadOnlyList<KeyValuePair<string, string>> list, string key)
    {
        for (int i = 0; i < list.Count; i++)
            if (string.Equals(list[i].Key, key, StringComparison.OrdinalIgnoreCase)) return i;
        return list.Count;
    }

    static string? Name(IReadOnlyList<KeyValuePair<string, string>> list, string key) =>
        list.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    static KeyValuePair<string, string>[] Pairs(params (string Key, string Name)[] pairs) =>
        pairs.Select(p => KeyValuePair.Create(p.Key, p.Name)).ToArray();
}
