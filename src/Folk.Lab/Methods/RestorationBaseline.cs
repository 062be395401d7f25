using Folk.Lab.Corruptions;
using Folk.Lab.Data;
using Folk.Lab.Losses;
using Folk.Lab.Models;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// MFM's restoration baselines (Jiahao000/MFM sr, deblur and denoise pre-training configs): SR (×8 bicubic), Deblur
/// (Gaussian σ = 5) or Denoise (Gaussian
/// noise σ = 75/255); the model restores the clean image and the frequency loss is averaged over every frequency
/// (<c>RECOVER_TARGET_TYPE='normal'</c>).
/// </summary>
public sealed class RestorationBaseline : ReconstructionMethod
{
    /// <summary>A baseline with the given corruption; <paramref name="name"/> is "sr", "deblur" or "denoise".</summary>
    public RestorationBaseline(string name, Encoder encoder, ICorruption corruption, FrequencyLossOptions? loss = null)
        : base(nameof(RestorationBaseline), encoder, corruption, loss) => Name = name;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    protected override LossTerms Reduce(Tensor prediction, Tensor target, CorruptedBatch corrupted, BatchShard? shard)
    {
        var loss = FrequencyLoss.Mean(prediction, target, LossOptions);
        return new LossTerms(loss, new Dictionary<string, Tensor> { ["loss"] = loss.detach() });
    }
}
