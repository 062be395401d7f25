namespace Folk.Lab.Methods;

/// <summary>
/// Which frequencies MFM's loss compares (MODEL.RECOVER_TARGET_TYPE in Jiahao000/MFM <c>config.py</c>): the ablation of
/// "predict what was removed" against "restore the whole image".
/// </summary>
public enum ReconstructionTarget
{
    /// <summary>Default. Only the frequencies the mask removed, pooled over the batch (<c>'masked'</c>, every MFM
    /// config; <see cref="Losses.FrequencyLoss.Masked"/>).</summary>
    MaskedFrequencies,

    /// <summary>Ablation. Every frequency, visible or not (<c>'normal'</c>, what the SR, Deblur and Denoise configs use;
    /// <see cref="Losses.FrequencyLoss.Mean"/>).</summary>
    AllFrequencies,
}
