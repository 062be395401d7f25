using Folk.Lab.Models;

namespace Folk.Lab.Evaluation;

/// <summary>
/// MFM's fine-tuning load (main_finetune.py, utils.py <c>load_pretrained</c>) as both sources of pre-trained weights
/// apply it (<see cref="PretrainedRun"/>, <see cref="PretrainedWeights"/>): a classifier starts fresh, and a ViT's
/// fine-tuning form drops the pre-training's final <c>norm</c> (it pools into a fresh <c>fc_norm</c>).
/// </summary>
internal static class EncoderLoadRules
{
    static readonly string[] Classifier = { "head.", "fc_norm.", "fc." };

    /// <summary>A classifier's tensor (ViT <c>head</c> and <c>fc_norm</c>, ResNet <c>fc</c>): never loaded, always fresh.</summary>
    public static bool IsClassifier(string key) => Classifier.Any(c => key.StartsWith(c, StringComparison.Ordinal));

    /// <summary>True when <paramref name="model"/> is a ViT's fine-tuning form, whose loaded weights leave out
    /// <see cref="IsFinalNorm"/> keys.</summary>
    public static bool DropsFinalNorm(Encoder model) =>
        model is VisionTransformer && model.named_parameters().Any(p => IsClassifier(p.name));

    /// <summary>The pre-training's final norm.</summary>
    public static bool IsFinalNorm(string key) => key.StartsWith("norm.", StringComparison.Ordinal);
}
