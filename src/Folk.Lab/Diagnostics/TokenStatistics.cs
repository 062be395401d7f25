using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Diagnostics;

/// <summary>
/// What one ViT block hands a dense-prediction head (UperNet reads raw block outputs), summarised over a set of images:
/// how large the patch tokens are, in how many directions they vary, and how much of their variation is between images
/// rather than between the positions of one image, which is the part a segmenter needs to tell pixels apart.
/// </summary>
/// <param name="Block">Blocks applied (1 … depth).</param>
/// <param name="Rms">Root mean square of the tokens' entries.</param>
/// <param name="EffectiveRank">The participation ratio (Σλ)² / Σλ² of the eigenvalues λ of the tokens' covariance:
/// D for tokens that vary alike in every direction, 1 when one direction carries all their variance.</param>
/// <param name="TopDirectionShare">The largest eigenvalue's share of the variance, λ_max / Σλ.</param>
/// <param name="ImageShare">The share of the variance that lies between the images' mean tokens,
/// Σᵢ nᵢ‖mᵢ − m‖² / Σₜ ‖xₜ − m‖²: 0 when every image's tokens average to the same vector, 1 when all tokens of an image
/// are equal (nothing left to tell its positions apart).</param>
/// <remarks>Measured to explain a result that came out against the papers' ranking (MFM's encoder segmenting the
/// synthetic images worse than a random one): see the segmentation notebook. The statistics are standard; the
/// participation ratio is the usual effective dimensionality of a covariance spectrum.</remarks>
public sealed record TokenStatistics(int Block, double Rms, double EffectiveRank, double TopDirectionShare, double ImageShare)
{
    /// <summary>The statistics of <paramref name="vit"/>'s patch tokens after each of <paramref name="blocks"/> (default:
    /// every block) on <paramref name="images"/> (B×3×H×W, normalised), from one pass without gradients.</summary>
    public static IReadOnlyList<TokenStatistics> Measure(VisionTransformer vit, Tensor images, IReadOnlyList<int>? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(vit);
        blocks ??= Enumerable.Range(1, vit.Config.Depth).ToArray();
        using var noGrad = no_grad();
        var maps = vit.BlockOutputs(images, blocks);
        try { return blocks.Select((block, i) => Of(block, maps[i])).ToList(); }
        finally { foreach (var map in maps) map.Dispose(); }
    }

    /// <summary>The statistics of B×D×h×w token maps (any float dtype; computed in float64 on their device).</summary>
    public static TokenStatistics Of(int block, Tensor maps)
    {
        if (maps.dim() != 4)
            throw new ArgumentException($"token maps must be B×D×h×w; got {Shape.Format(maps.shape)}.", nameof(maps));
        using var scope = NewDisposeScope();
        long channels = maps.shape[1];
        var tokens = maps.to(ScalarType.Float64).flatten(2).transpose(1, 2);                    // B×n×D
        var mean = tokens.mean([0, 1], keepdim: true);
        var centred = (tokens - mean).reshape(-1, channels);
        double total = centred.pow(2).sum().item<double>();
        double between = (tokens.mean([1], keepdim: true) - mean).pow(2).sum().item<double>() * tokens.shape[1];
        var covariance = centred.t().matmul(centred) / centred.shape[0];
        var eigenvalues = linalg.eigvalsh(covariance).clamp_min(0);
        double sum = eigenvalues.sum().item<double>(), squares = eigenvalues.pow(2).sum().item<double>();
        double rms = Math.Sqrt(tokens.pow(2).mean().item<double>());
        return total == 0
            ? new TokenStatistics(block, rms, 0, 0, 0)
            : new TokenStatistics(block, rms, sum * sum / squares, eigenvalues.max().item<double>() / sum, between / total);
    }
}
