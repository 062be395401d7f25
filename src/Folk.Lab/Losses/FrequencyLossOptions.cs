namespace Folk.Lab.Losses;

/// <summary>The focal spectrum weight of Focal Frequency Loss, which MFM's loss inherits (off in MFM).</summary>
public enum FocalWeighting
{
    /// <summary>No weighting (MFM: WITH_MATRIX = False).</summary>
    Off,

    /// <summary><c>w = |ΔF|^γ_m</c> normalised by its maximum per image, tile and channel (WITH_MATRIX = True).</summary>
    PerImage,

    /// <summary>As <see cref="PerImage"/>, normalised by the maximum over the whole batch (BATCH_MATRIX = True). In a
    /// data-parallel job the maximum is each process's own batch share's, not pooled over the processes, so this one
    /// setting is not bit for bit the one-process loss (off in every MFM config).</summary>
    PerBatch,
}

/// <summary>Options of MFM's frequency loss.</summary>
/// <remarks>Every default is MFM <c>config.py</c> <c>MODEL.FREQ_LOSS.*</c>, unchanged in every shipped config
/// (Jiahao000/MFM <c>configs/</c>).</remarks>
public sealed record FrequencyLossOptions
{
    /// <summary>γ: the exponent of the per-frequency distance, <c>(|ΔF|² + ε)^(γ/2)</c> (LOSS_GAMMA = 1: the
    /// complex modulus).</summary>
    public double Gamma { get; init; } = 1.0;

    /// <summary>Focal spectrum weight (WITH_MATRIX = False, BATCH_MATRIX = False).</summary>
    public FocalWeighting Focal { get; init; } = FocalWeighting.Off;

    /// <summary>γ_m: exponent of the focal weight <c>|ΔF|^γ_m</c> (MATRIX_GAMMA = 1).</summary>
    public double FocalGamma { get; init; } = 1.0;

    /// <summary>Take <c>log(w + 1)</c> of the focal weight before normalising (LOG_MATRIX = False).</summary>
    public bool LogFocalWeight { get; init; }

    /// <summary>Split each image into PatchFactor² tiles and transform each tile (PATCH_FACTOR = 1).</summary>
    public int PatchFactor { get; init; } = 1;

    /// <summary>Average the spectra over the batch before comparing them (AVE_SPECTRUM = False).</summary>
    public bool AverageSpectrum { get; init; }

    /// <summary>ε inside the square root, which keeps the gradient finite where pred = target (1e-12, hard-coded
    /// in MFM's <c>loss_formulation</c>).</summary>
    public double Epsilon { get; init; } = 1e-12;

    internal void Validate()
    {
        Guard.Positive(Gamma, nameof(Gamma));
        Guard.Positive(FocalGamma, nameof(FocalGamma));
        Guard.Positive(PatchFactor, nameof(PatchFactor));
        Guard.NonNegative(Epsilon, nameof(Epsilon));
    }
}
