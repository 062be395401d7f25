using System.Text.Json.Nodes;

namespace Folk.Lab.Evaluation;

/// <summary>
/// The published numbers Folk.Lab's tables can be compared with, each with its source and whether it was verified
/// there. All are ImageNet-1K top-1 at 224², in percent.
/// </summary>
/// <remarks>
/// <para><b>MFM (arXiv 2206.07706).</b> The official code's README (Jiahao000/MFM@c9194b1, README.md, "Models") prints
/// the restoration-baseline comparison for ViT-B/16 and ResNet-50, 300 pre-training epochs: these nine numbers are
/// verified. ViT-S/16 is in the paper's ImageNet-1K fine-tuning table but not in the README; its 81.6 is recalled from
/// the paper and marked unverified until checked against the PDF. The README gives no k-NN, linear or few-shot
/// numbers.</para>
/// <para><b>FOLK (arXiv 2409.10362).</b> The paper's tables (fine-tuning, few-shot with 1 % and 10 % of the labels)
/// could not be read, and no code or README with numbers was released; the catalogue holds none of FOLK's own numbers
/// rather than numbers from memory. FOLK's tables compare with MFM, whose README numbers above apply to the MFM rows.</para>
/// </remarks>
public static class PaperNumbers
{
    const string MfmReadme = "MFM official README (Jiahao000/MFM@c9194b1, README.md, Models)";
    const string MfmPaperVitS = "arXiv 2206.07706, ImageNet-1K fine-tuning table, ViT-S/16 (recalled, not yet checked against the paper)";

    /// <summary>Every known number.</summary>
    public static IReadOnlyList<PaperNumber> All { get; } = new PaperNumber[]
    {
        // README "ViT": 300 pre-training epochs, 100 fine-tuning epochs (configs/vit_base/finetune__vit_base__img224__100ep.yaml).
        new("mfm", "sr", "vit-b", "fine-tune", "top1", "imagenet-1k", 82.4, MfmReadme, true, 300, 100),
        new("mfm", "deblur", "vit-b", "fine-tune", "top1", "imagenet-1k", 81.7, MfmReadme, true, 300, 100),
        new("mfm", "denoise", "vit-b", "fine-tune", "top1", "imagenet-1k", 82.7, MfmReadme, true, 300, 100),
        new("mfm", "mfm", "vit-b", "fine-tune", "top1", "imagenet-1k", 83.1, MfmReadme, true, 300, 100),
        // README "CNN": 300 pre-training epochs; fine-tuning with timm for 100 (and, for MFM, 300) epochs.
        new("mfm", "sr", "resnet50", "fine-tune", "top1", "imagenet-1k", 77.9, MfmReadme, true, 300, 100),
        new("mfm", "deblur", "resnet50", "fine-tune", "top1", "imagenet-1k", 78.0, MfmReadme, true, 300, 100),
        new("mfm", "denoise", "resnet50", "fine-tune", "top1", "imagenet-1k", 77.5, MfmReadme, true, 300, 100),
        new("mfm", "mfm", "resnet50", "fine-tune", "top1", "imagenet-1k", 78.5, MfmReadme, true, 300, 100),
        new("mfm", "mfm", "resnet50", "fine-tune", "top1", "imagenet-1k", 80.1, MfmReadme, true, 300, 300),
        // ViT-S/16: 300 pre-training epochs, 200 fine-tuning epochs (configs/vit_small/finetune__vit_small__img224__200ep.yaml).
        new("mfm", "mfm", "vit-s", "fine-tune", "top1", "imagenet-1k", 81.6, MfmPaperVitS, false, 300, 200),
    };

    /// <summary>The numbers a paper reports ("mfm", "folk").</summary>
    public static IReadOnlyList<PaperNumber> Of(string paper) =>
        All.Where(n => string.Equals(n.Paper, paper, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// The published number for <paramref name="result"/>'s method, model, setting and data, or null when none is known.
    /// Where several match (MFM's ResNet-50 at 100 and 300 fine-tuning epochs), the one whose fine-tuning epochs are
    /// closest to the result's (<see cref="Epochs"/>) wins; without epochs in the result's config, the shortest.
    /// </summary>
    public static PaperNumber? Find(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int ours = Epochs(result.Config) ?? 0;
        return All.Where(n => n.SameSetting(result))
            .OrderBy(n => Math.Abs((n.FineTuneEpochs ?? 0) - ours)).ThenBy(n => n.FineTuneEpochs ?? 0)
            .FirstOrDefault();
    }

    /// <summary>The epochs a protocol's config states: its "epochs" field, or that of an object directly inside it
    /// (a nested trainer config); null when there is none.</summary>
    public static int? Epochs(JsonObject? config)
    {
        if (config is null) return null;
        if (Integer(config["epochs"]) is { } top) return top;
        return config.Select(p => p.Value is JsonObject inner ? Integer(inner["epochs"]) : null).FirstOrDefault(e => e is not null);
    }

    static int? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue
            ? (int)d : null;
}
