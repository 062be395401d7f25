namespace Folk.Lab.Evaluation;

/// <summary>
/// One published number: what was measured (method, model, setting, data), the value as printed, and where it is
/// printed. <see cref="PaperNumbers"/> holds the catalogue; <see cref="ResultsTable"/> puts them beside ours.
/// </summary>
/// <param name="Paper">The paper the number belongs to ("mfm", "folk").</param>
/// <param name="Method">The pre-training method, as <see cref="EncoderSource.Method"/> names it ("mfm", "sr", …).</param>
/// <param name="Model">The architecture, as the model catalogue names it ("vit-b", "resnet50").</param>
/// <param name="Setting">The setting, as <see cref="EvaluationResult.Setting"/> names it ("fine-tune").</param>
/// <param name="Metric">The metric, as <see cref="EvaluationResult.Headline"/> names it ("top1").</param>
/// <param name="Data">The data set, as <see cref="EvaluationResult.Data"/> names it ("imagenet-1k").</param>
/// <param name="Value">The number as printed, in percent for accuracies (83.1 for 83.1 %).</param>
/// <param name="Source">Where it is printed: the paper's arXiv id and table, or the official code's README.</param>
/// <param name="Verified">True when the number was read in <see cref="Source"/>; false when it is recalled and still
/// to be checked against the paper (tables mark it).</param>
/// <param name="PretrainEpochs">Pre-training epochs behind the number.</param>
/// <param name="FineTuneEpochs">Fine-tuning epochs behind the number; null when the setting has none.</param>
public sealed record PaperNumber(
    string Paper, string Method, string Model, string Setting, string Metric, string Data, double Value, string Source, bool Verified,
    int PretrainEpochs, int? FineTuneEpochs)
{
    /// <summary>True when this number was measured in the same setting as <paramref name="result"/>: same method,
    /// model, setting, headline metric and data (epochs may differ; <see cref="PaperNumbers.Find"/> prefers equal epochs).</summary>
    public bool SameSetting(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Equals(Method, result.Encoder.Method, StringComparison.OrdinalIgnoreCase)
               && string.Equals(Model, result.Encoder.Model, StringComparison.OrdinalIgnoreCase)
               && string.Equals(Setting, result.Setting, StringComparison.OrdinalIgnoreCase)
               && string.Equals(Metric, result.Headline, StringComparison.OrdinalIgnoreCase)
               && string.Equals(Data, result.Data, StringComparison.OrdinalIgnoreCase);
    }
}
