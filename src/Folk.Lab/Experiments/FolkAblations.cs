using System.Globalization;
using Folk.Lab.Evaluation;
using Folk.Lab.Masks;
using Folk.Lab.Methods;

namespace Folk.Lab.Experiments;

/// <summary>
/// FOLK's ablations (FOLK paper, arXiv 2409.10362: the informed filters of §3.2.1 and the distillation branch of §3,
/// ablated in Appendix B) as rows: FOLK against MFM; Com and RCom together, alone, or MFM's radial masks instead; the two
/// readings of τ (Folk.Lab's ambiguity #1, <see cref="FolkPresets.TauReadings"/>); the distillation weight λ = 1 or 0;
/// and which backbone is exported (the teacher or the student, <see cref="EncoderPart"/>). Each group's reference is
/// Folk.Lab's FOLK recipe, the shared "folk" run of the notebook series.
/// </summary>
/// <remarks>
/// FOLK's step costs about three of MFM's (two views through the student, two through the teacher), so only a few rows
/// run at quick scale (<see cref="AblationRow.Quick"/>); the teacher and student rows read the reference's run and
/// train nothing. No FOLK number could be read, so the rows carry the paper's stated direction, never a number.
/// </remarks>
/// <seealso href="../../notebooks/07-folk-ablations.ipynb">notebook 07</seealso>
public static class FolkAblations
{
    const string MethodGroup = "method";
    const string FilterGroup = "filter";
    const string TauGroup = "τ reading";
    const string DistillationGroup = "distillation weight λ";
    const string ExportGroup = "exported backbone";

    /// <summary>The study: every row, quick or not.</summary>
    public static AblationStudy Study { get; } = new("folk", "FOLK ablations (arXiv 2409.10362)", BuildRows(), new Dictionary<string, string>
    {
        [MethodGroup] = "FOLK reports results on par with or better than MFM in fine-tuning and few-shot classification (arXiv 2409.10362, abstract "
                        + "and Section 4). Its numbers were not available to us.",
        [FilterGroup] = "FOLK's first idea: filters chosen per image from its own spectrum (Com keeps the largest coefficients, RCom the rest) "
                        + "instead of MFM's fixed radial masks (arXiv 2409.10362, §3.2.1). The ablation's numbers (Appendix B) were not available to us.",
        [TauGroup] = "The paper's thresholds are τ ∈ {0.005, 0.01, 0.05}; what τ thresholds is not stated in what we could read (Folk.Lab's "
                     + "ambiguity #1), so both readings run: the kept fraction (default) and a fraction of the largest magnitude.",
        [DistillationGroup] = "FOLK's second idea: the student also learns from a teacher that sees the clean images (arXiv 2409.10362, abstract "
                              + "and §3). A reviewer noted that the submission had no ablation isolating it; λ = 0 is that ablation. Numbers were "
                              + "not available to us.",
        [ExportGroup] = "Which backbone FOLK fine-tunes is not stated in what we could read. The DINO/iBOT convention is the teacher; Folk.Lab "
                        + "exports it once it has forgotten its random initialisation, the student before (as after a quick run).",
    });

    static AblationRow Folk(string group, string label = "FOLK (Com + RCom, τ kept fraction, λ = 1)") => new()
    {
        Study = "folk", Group = group, Label = label, Key = "folk", Method = "folk", Reference = true, Paper = "Folk.Lab's reading of the paper",
    };

    static AblationRow Row(string group, string key, string label, Func<FolkConfig, FolkConfig> change, IReadOnlyList<string> arguments, bool quick, string paper = "") => new()
    {
        Study = "folk", Group = group, Label = label, Key = key, Method = "folk", Quick = quick,
        Change = m => change((FolkConfig)m), Arguments = arguments, Paper = paper,
    };

    static AblationRow Part(string key, string label, EncoderPart part, string paper) => new()
    {
        Study = "folk", Group = ExportGroup, Label = label, Key = key, Method = "folk", RunOf = "folk", Part = part, Paper = paper,
    };

    static AblationRow ComShare(string key, string label, double probability) =>
        Row(FilterGroup, key, label, f => f with { Masks = f.Masks with { ComProbability = probability } },
            ["--com-probability", probability.ToString(CultureInfo.InvariantCulture)], quick: false);

    static IReadOnlyList<AblationRow> BuildRows() =>
    [
        Folk(MethodGroup),
        new AblationRow
        {
            Study = "folk", Group = MethodGroup, Label = "MFM (radial masks, no teacher)", Key = "mfm", Method = "mfm",
            Paper = "at or below FOLK (abstract)",
        },

        Folk(FilterGroup),
        ComShare("com-only", "Com only (p(Com) = 1)", 1),
        ComShare("rcom-only", "RCom only (p(Com) = 0)", 0),
        Row(FilterGroup, "radial", "MFM's radial masks (r = 16, p_low = 0.5)", f => f with { Filter = FolkFilter.Radial }, ["--filter", "radial"],
            quick: false, paper: "below the informed filters (§3.2.1)"),

        Folk(TauGroup),
        Row(TauGroup, "tau-magnitude", "τ as a fraction of the largest magnitude", f => f.WithTauReading(ComThreshold.MagnitudeFraction),
            ["--tau-reading", "magnitude-fraction"], quick: false),

        Folk(DistillationGroup),
        Row(DistillationGroup, "lambda-0", "λ = 0 (no distillation)", f => f with { DistillationWeight = 0 }, ["--distill-weight", "0"],
            quick: true, paper: "below λ = 1 (abstract)"),

        Folk(ExportGroup, "exported (Folk.Lab's choice by run length)"),
        Part("teacher", "teacher", EncoderPart.Teacher, "DINO/iBOT convention"),
        Part("student", "student", EncoderPart.Student, ""),
    ];
}
