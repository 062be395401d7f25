using Folk.Lab.Corruptions.Common;

namespace Folk.Lab.Evaluation.Robustness;

/// <summary>
/// The classifier whose errors a corruption error is divided by: its top-1 error on clean images and its mean top-1
/// error over the five severities of each corruption. ImageNet-C normalises by AlexNet (<see cref="AlexNet"/>), so that
/// corruptions that are hard for every model do not dominate the mean (arXiv 1903.12261, §4.1).
/// </summary>
/// <param name="Name">What the baseline is, for reports ("AlexNet", a run folder).</param>
/// <param name="CleanError">Top-1 error on the clean images, in [0, 1].</param>
/// <param name="MeanErrors">Per corruption, the top-1 error averaged over severities 1–5, in [0, 1].</param>
public sealed record CorruptionBaseline(string Name, double CleanError, IReadOnlyDictionary<CommonCorruption, double> MeanErrors)
{
    /// <summary>
    /// AlexNet on ImageNet-C: the per-corruption errors every published ImageNet-C mCE is divided by (the ImageNet-C
    /// paper's AlexNet results, arXiv 1903.12261; distributed as <c>ALEXNET_ERR</c> in, e.g., google-research/augmix
    /// <c>imagenet.py</c>), and its clean top-1 error of 43.5 % from the same paper, used by the relative mCE.
    /// </summary>
    public static CorruptionBaseline AlexNet { get; } = new("AlexNet (ImageNet-C)", 0.435, new Dictionary<CommonCorruption, double>
    {
        [CommonCorruption.GaussianNoise] = 0.886428,
        [CommonCorruption.ShotNoise] = 0.894468,
        [CommonCorruption.ImpulseNoise] = 0.922640,
        [CommonCorruption.DefocusBlur] = 0.819880,
        [CommonCorruption.GlassBlur] = 0.826268,
        [CommonCorruption.MotionBlur] = 0.785948,
        [CommonCorruption.ZoomBlur] = 0.798360,
        [CommonCorruption.Snow] = 0.866816,
        [CommonCorruption.Frost] = 0.826572,
        [CommonCorruption.Fog] = 0.819324,
        [CommonCorruption.Brightness] = 0.564592,
        [CommonCorruption.Contrast] = 0.853204,
        [CommonCorruption.ElasticTransform] = 0.646056,
        [CommonCorruption.Pixelate] = 0.717840,
        [CommonCorruption.JpegCompression] = 0.606500,
    });

    /// <summary>A measured classifier as the baseline, e.g. the from-scratch model of a CPU miniature, where AlexNet's
    /// ImageNet errors mean nothing: its corruption errors then read 100 % by construction.</summary>
    public static CorruptionBaseline From(string name, CorruptionErrors errors) =>
        new(name, errors.CleanError, errors.Corruptions.ToDictionary(c => c, errors.MeanError));
}
