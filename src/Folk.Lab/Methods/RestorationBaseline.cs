using Folk.Lab.Corruptions;
using Folk.Lab.Losses;
using static TorchSharp.torch;

namespace Folk.Lab.Methods;

/// <summary>
/// MFM's restoration baselines (mfm-reference §2.9): SR (×8 bicubic), Deblur (Gaussian σ = 5) or Denoise (Gaussian
/// noise σ = 75/255); the model restores the clean image and the frequency loss is averaged over every frequency
/// (<c>RECOVER_TARGET_TYPE='normal'</c>).
/// </summary>
public sealed class RestorationBaseline : ReconstructionMethod
{
    /// <summary>A baseline with the given corruption; <paramref name="name"/> is "sr", "deblur" or "denoise".</summary>
    public RestorationBaseline(string name, nn.Module<Tensor, Tensor> encoder, ICorruption corruption, FrequencyLossOptions? loss = null)
        : base(nameof(RestorationBaseline), encoder, corruption, loss) => Name = name;

    /// <summary>Super-resolution: bicubic ×1/8 and back (configs/*/sr_pretrain__*.yaml).</summary>
    public static RestorationBaseline SuperResolution(nn.Module<Tensor, Tensor> encoder) => new("sr", encoder, new SuperResolutionCorruption());

    /// <summary>Deblurring: isotropic Gaussian, σ = 5 (configs/*/deblur_pretrain__*.yaml).</summary>
    public static RestorationBaseline Deblur(nn.Module<Tensor, Tensor> encoder) => new("deblur", encoder, new GaussianBlurCorruption());

    /// <summary>Denoising: Gaussian noise, σ = 75/255 (configs/*/denoise_pretrain__*.yaml).</summary>
    public static RestorationBaseline Denoise(nn.Module<Tensor, Tensor> encoder) => new("denoise", encoder, new GaussianNoiseCorruption());

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    protected override LossTerms Reduce(Tensor prediction, Tensor target, CorruptedBatch corrupted)
    {
        var loss = FrequencyLoss.Mean(prediction, target, LossOptions);
        return new LossTerms(loss, new Dictionary<string, Tensor> { ["loss"] = loss.detach() });
    }
}
