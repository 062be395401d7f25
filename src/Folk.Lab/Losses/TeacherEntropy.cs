using static TorchSharp.torch;

namespace Folk.Lab.Losses;

/// <summary>
/// How the teacher's targets spread over a batch, in nats: the two numbers that tell a working self-distillation
/// from its two collapses (DINO, arXiv 2104.14294, §5.3 and Fig. 7, which follows the target entropy for the same
/// reason). <see cref="PerImage"/> is the mean entropy of each image's target distribution, <see cref="OfBatchMean"/>
/// the entropy of their average, and their difference <see cref="Information"/> is the mutual information between
/// the image and the prototype it is sent to (≥ 0, by the concavity of entropy).
/// </summary>
/// <remarks>
/// <para>Collapse to the uniform distribution (centring without enough sharpening): every target is uniform,
/// <c>PerImage = OfBatchMean = ln K</c>. Collapse to one prototype (sharpening without centring): every image sends its
/// mass to the same prototype, <c>PerImage = OfBatchMean = 0</c>. Either way <see cref="Information"/> is 0: the targets
/// no longer depend on the image. A teacher whose targets differ between images has <c>Information &gt; 0</c>, at most
/// <c>min(ln N, ln K)</c> for N images and K prototypes.</para>
/// </remarks>
/// <param name="PerImage">Mean over the batch of each row's entropy <c>−Σ_k P_k ln P_k</c>.</param>
/// <param name="OfBatchMean">Entropy of the batch's mean distribution.</param>
/// <param name="Maximum">ln K, the entropy of the uniform distribution over the K prototypes.</param>
/// <seealso href="../../notebooks/05-folk-pretraining.ipynb">notebook 05, FOLK pre-training</seealso>
public sealed record TeacherEntropy(double PerImage, double OfBatchMean, double Maximum)
{
    /// <summary><see cref="OfBatchMean"/> − <see cref="PerImage"/>: the mutual information between image and prototype,
    /// 0 for a collapsed teacher.</summary>
    public double Information => OfBatchMean - PerImage;

    /// <summary>
    /// The entropies of N×K <paramref name="probabilities"/> whose rows are distributions, e.g. the teacher's centred,
    /// sharpened targets <see cref="DistillationLoss.TeacherProbabilities"/>. Computed in float64; <c>0 · ln 0</c> is 0.
    /// </summary>
    public static TeacherEntropy Of(Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.dim() != 2 || probabilities.shape[0] < 1 || probabilities.shape[1] < 2)
            throw new ArgumentException($"probabilities must be N×K with N ≥ 1 and K ≥ 2; got {Shape.Format(probabilities)}.", nameof(probabilities));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = probabilities.detach().to(ScalarType.Float64);
        var rowSums = p.sum(1);
        if (p.min().item<double>() < 0 || (rowSums - 1).abs().max().item<double>() > 1e-4)
            throw new ArgumentException("probabilities must hold one distribution per row (non-negative, summing to 1).", nameof(probabilities));
        double perImage = Entropy(p).mean().item<double>();
        double ofMean = Entropy(p.mean(new long[] { 0 }, keepdim: true)).item<double>();
        return new TeacherEntropy(perImage, ofMean, Math.Log(probabilities.shape[1]));
    }

    /// <summary>Row entropies of a non-negative N×K float64 tensor, with 0·ln 0 = 0.</summary>
    static Tensor Entropy(Tensor p) => -(p * where(p.gt(0), p, ones_like(p)).log()).sum(1);
}
