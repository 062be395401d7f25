using System.Globalization;
using Folk.Lab.Evaluation;
using Folk.Lab.Losses;
using Folk.Lab.Methods;

namespace Folk.Lab.Experiments;

/// <summary>
/// MFM's ablations (MFM paper, arXiv 2206.07706, §4 and its restoration-task comparison) as rows: the restoration
/// baselines SR, Deblur and Denoise against MFM; the mask type (low-pass only, high-pass only, both) and p_low; the mask
/// radius; the loss (γ, focal weighting); and the target (the removed frequencies or all of them). Each group's
/// reference is the official setting (r = 16 at 224², p_low 0.5, γ = 1, no focal weight, masked target; MFM
/// configs/vit_base/mfm_pretrain__vit_base__img224__300ep.yaml), the shared "mfm" run of the notebook series.
/// </summary>
/// <remarks>
/// The paper's own ablation tables could not be read for Folk.Lab: the rows carry the published restoration numbers
/// (the official README's, which <see cref="PaperNumbers"/> holds) and, for every other group, the direction the paper
/// states with its source, never a number from memory. Quick rows are those notebook 06 trains on a CPU; every row
/// has its full-scale command (<see cref="AblationCommands"/>).
/// </remarks>
/// <seealso href="../../notebooks/06-mfm-ablations.ipynb">notebook 06</seealso>
public static class MfmAblations
{
    const string Restoration = "restoration task";
    const string MaskType = "mask type and p_low";
    const string Radius = "mask radius r (at 224²)";
    const string LossGroup = "frequency loss";
    const string TargetGroup = "reconstruction target";

    /// <summary>The study: every row, quick or not.</summary>
    public static AblationStudy Study { get; } = new("mfm", "MFM ablations (arXiv 2206.07706)", BuildRows(), new Dictionary<string, string>
    {
        [Restoration] = "ViT-B/16, 300 pre-training + 100 fine-tuning epochs, ImageNet-1K top-1: MFM 83.1 > Denoise 82.7 > SR 82.4 > Deblur 81.7 "
                        + "(official README, Models; the paper's comparison with low-level image processing tasks).",
        [MaskType] = "Both bands beat either alone: \"both the structural information within high-frequency components and the low-level statistics "
                     + "among low-frequency counterparts are useful\" (arXiv 2206.07706, abstract); the official p_low is 0.5 for ViTs and 0.3 for "
                     + "ResNet-50 (configs/*/mfm_pretrain__*.yaml, SAMPLE_RATIO). The sweep's numbers were not available to us.",
        [Radius] = "The official radius is r = 16 at 224² (configs/*/mfm_pretrain__*.yaml, MASK_RADIUS1). The sweep's numbers were not available to us.",
        [LossGroup] = "The official loss is the plain distance, γ = 1, without Focal Frequency Loss's weight (config.py MODEL.FREQ_LOSS, unchanged in "
                      + "every config). The numbers of the loss variants were not available to us.",
        [TargetGroup] = "MFM predicts only the removed frequencies (RECOVER_TARGET_TYPE 'masked'), following the paper's argument that predicting "
                        + "what the input does not show is the more useful task (arXiv 2206.07706, §1). The numbers were not available to us.",
    });

    static PaperNumber Readme(string method) =>
        PaperNumbers.Of("mfm").Single(n => n.Method == method && n.Model == "vit-b" && n.Setting == "fine-tune");

    static AblationRow Mfm(string group) => new()
    {
        Study = "mfm", Group = group, Label = "MFM (r = 16, p_low = 0.5, γ = 1, masked target)", Key = "mfm", Method = "mfm", Reference = true,
        Paper = group == Restoration ? Cite(Readme("mfm")) : "the paper's setting", PaperNumber = group == Restoration ? Readme("mfm") : null,
    };

    static string Cite(PaperNumber n) => n.Value.ToString("0.0", CultureInfo.InvariantCulture) + " (ViT-B/16, IN-1K fine-tune)";

    static AblationRow Baseline(string method, string label) => new()
    {
        Study = "mfm", Group = Restoration, Label = label, Key = method, Method = method, Paper = Cite(Readme(method)), PaperNumber = Readme(method),
    };

    static AblationRow Masks(string key, string label, double lowPass, bool quick) => new()
    {
        Study = "mfm", Group = MaskType, Label = label, Key = key, Method = "mfm", Quick = quick,
        Change = m => (MfmConfig)m with { Masks = ((MfmConfig)m).Masks with { LowPassProbability = lowPass } },
        Arguments = ["--p-low", lowPass.ToString(CultureInfo.InvariantCulture)],
        Paper = lowPass is 0 or 1 ? "below both (abstract)" : "",
    };

    static AblationRow Radius1(double radius, bool quick) => new()
    {
        Study = "mfm", Group = Radius, Label = $"r = {radius.ToString(CultureInfo.InvariantCulture)}", Key = $"r{radius.ToString(CultureInfo.InvariantCulture)}",
        Method = "mfm", Quick = quick,
        Change = m => (MfmConfig)m with { Masks = ((MfmConfig)m).Masks with { Radius1 = radius } },
        Arguments = ["--mask-radius", radius.ToString(CultureInfo.InvariantCulture)],
    };

    static AblationRow Loss(string key, string label, FrequencyLossOptions loss, IReadOnlyList<string> arguments, bool quick) => new()
    {
        Study = "mfm", Group = LossGroup, Label = label, Key = key, Method = "mfm", Quick = quick,
        Change = m => (MfmConfig)m with { Loss = loss }, Arguments = arguments,
    };

    static IReadOnlyList<AblationRow> BuildRows() =>
    [
        Mfm(Restoration),
        Baseline("sr", "SR (×8 bicubic down and up)"),
        Baseline("deblur", "Deblur (Gaussian blur, σ = 5)"),
        Baseline("denoise", "Denoise (Gaussian noise, σ = 75/255)"),

        Masks("high-only", "high-pass only (p_low = 0)", 0, quick: true),
        Masks("plow-0.3", "p_low = 0.3 (ResNet-50's)", 0.3, quick: false),
        Mfm(MaskType),
        Masks("plow-0.7", "p_low = 0.7", 0.7, quick: false),
        Masks("low-only", "low-pass only (p_low = 1)", 1, quick: true),

        Radius1(4, quick: false),
        Radius1(8, quick: false),
        Mfm(Radius),
        Radius1(24, quick: false),
        Radius1(32, quick: false),
        Radius1(48, quick: false),

        Mfm(LossGroup),
        Loss("gamma-2", "squared distance (γ = 2)", new FrequencyLossOptions { Gamma = 2 }, ["--loss-gamma", "2"], quick: false),
        Loss("focal", "focal spectrum weight (per image)", new FrequencyLossOptions { Focal = FocalWeighting.PerImage }, ["--focal", "per-image"], quick: false),

        Mfm(TargetGroup),
        new AblationRow
        {
            Study = "mfm", Group = TargetGroup, Label = "all frequencies", Key = "target-all", Method = "mfm",
            Change = m => (MfmConfig)m with { Target = ReconstructionTarget.AllFrequencies }, Arguments = ["--target", "all"],
        },
    ];
}
