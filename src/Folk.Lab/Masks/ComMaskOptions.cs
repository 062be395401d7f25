namespace Folk.Lab.Masks;

/// <summary>
/// FOLK ambiguity #1: what the thresholds τ ∈ {0.005, 0.01, 0.05} threshold. The riskiest reading
/// of the recipe: the two readings keep opposite trends across τ (the keep fraction keeps more as τ grows, the magnitude
/// threshold fewer, and how many depends strongly on the image size), so FOLK's ablations run both
/// (<c>FolkPresets.TauReadings</c>).
/// </summary>
public enum ComThreshold
{
    /// <summary>Default. τ is the fraction of coefficients Com keeps, the largest by magnitude (top-k, k = ⌈τ·H·W⌉):
    /// the FFT-compression recipe FOLK is named after keeps the top 0.2–10 % of coefficients, and the reviewer's
    /// values fit that pattern. At 224² they keep 251, 502 and 2,509 frequencies.</summary>
    KeepFraction,

    /// <summary>Alternative. Com keeps every coefficient with magnitude ≥ τ · (largest magnitude of the image): on the
    /// built-in synthetic images 1.0 / 0.27 / 0.017 % of the frequencies at 224² and 74 / 28 / 1.0 % at 32².</summary>
    MagnitudeFraction,
}

/// <summary>FOLK ambiguity #2: one mask for all channels, or one per channel.</summary>
public enum ComChannels
{
    /// <summary>Default. One mask ranked by the summed magnitude <c>Σ_c |X_c|</c>: MFM's loss broadcasts one
    /// (B,1,H,W) mask over the channels, so a shared mask plugs into it unchanged.</summary>
    Shared,

    /// <summary>Alternative. Each channel ranked by its own magnitude: B×C×H×W masks.</summary>
    PerChannel,

    /// <summary>Alternative. One mask ranked by the magnitude of the luminance <c>0.299 R + 0.587 G + 0.114 B</c>
    /// (ITU-R BT.601, what JPEG compresses hardest on).</summary>
    Luminance,
}

/// <summary>How a Com mask ranks and thresholds an image's frequencies.</summary>
public sealed record ComMaskOptions
{
    /// <summary>What τ means (ambiguity #1; default KeepFraction).</summary>
    public ComThreshold Threshold { get; init; } = ComThreshold.KeepFraction;

    /// <summary>Shared or per-channel ranking (ambiguity #2; default Shared).</summary>
    public ComChannels Channels { get; init; } = ComChannels.Shared;
}
