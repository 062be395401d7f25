namespace Folk.Lab.Frequency;

/// <summary>
/// How a corruption setting given for 224² images, a length in pixels (a blur's σ and kernel, a down-sampling factor),
/// carries over to images of another size (Folk.Lab; MFM and DINO run only at 224²).
/// </summary>
/// <remarks>
/// A length L in pixels removes frequencies above the fraction q = c / L of the Nyquist frequency (the same at every
/// size: c = 1 for a down-sampling factor, c = √(2 ln 2) / π ≈ 0.375 at a Gaussian's half-power point). What the same
/// corruption means at another size depends on what is kept equal:
/// <list type="bullet">
/// <item><see cref="MatchedEnergy"/> keeps the share of spectral energy removed. Photographs, and the built-in synthetic
/// images, have a power spectrum close to 1/f², so each octave of frequencies holds about the same energy, and an s²
/// image has log₂(s/2) octaves above 1 cycle per image: removing the top fraction log(1/q) / log(112) of the octaves at
/// 224² is removing the top fraction log(1/q′) / log(s/2) at s², i.e. <c>q′ = q^κ</c> with <c>κ = ln(s/2) / ln 112</c>.</item>
/// <item><see cref="Proportional"/> keeps the cycles per image (L × s/224): right for an s² image that is the 224² one
/// shrunk, but such an image has lost every frequency above s/2 cycles, where most of what the corruption removes at
/// 224² lies, so it removes far less.</item>
/// <item><see cref="None"/> keeps the cycles per pixel (the 224² pixels unchanged). This is also what MFM's mask radius
/// scaled by s/224 keeps, since a radius is already a frequency; on small images it removes far more.</item>
/// </list>
/// Measured on the synthetic images, the mean share of the images' AC energy the corruptions change at 224² and 32²
/// (SR ×8, Deblur σ 5, DINO's blur σ ∈ [0.1, 2]): 0.72 / 0.43 / 0.13 at 224²; at 32² 0.75 / 0.41 / 0.12 matched,
/// 1.19 / 0.76 / 0.29 with none and 0.08 / 0.09 / 0.00 proportional (a test holds the match).
/// </remarks>
public enum SizeScaling
{
    /// <summary>Default. The same share of spectral energy as at 224²: the cutoff fraction q becomes q^κ,
    /// κ = ln(s/2) / ln 112.</summary>
    MatchedEnergy,

    /// <summary>Lengths × s/224: the same cycles per image.</summary>
    Proportional,

    /// <summary>The 224² lengths in pixels at any size: the same cycles per pixel.</summary>
    None,
}

/// <summary>The rules of <see cref="SizeScaling"/>.</summary>
public static class SizeScalingRules
{
    /// <summary>The size the papers' settings are given for.</summary>
    public const int ReferenceSize = 224;

    /// <summary>c of a Gaussian blur: its half-power frequency, <c>exp(−4π²σ²f²) = ½</c>, is the fraction c / σ of the
    /// Nyquist frequency, c = √(2 ln 2) / π ≈ 0.375.</summary>
    public static readonly double GaussianCutoff = Math.Sqrt(2 * Math.Log(2)) / Math.PI;

    /// <summary>κ = ln(s/2) / ln(112): the octaves of an s² image over those of a 224² one (1 at 224²).</summary>
    public static double Exponent(int imageSize)
    {
        if (imageSize < 4) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"imageSize must be >= 4 pixels; got {imageSize}.");
        return Math.Log(imageSize / 2.0) / Math.Log(ReferenceSize / 2.0);
    }

    /// <summary>A Gaussian blur's σ (pixels at 224²) for images of <paramref name="imageSize"/> pixels.</summary>
    public static double Sigma(this SizeScaling rule, double sigma, int imageSize) => Length(rule, sigma, GaussianCutoff, imageSize);

    /// <summary>A down-sampling factor (at 224²) for images of <paramref name="imageSize"/> pixels.</summary>
    public static double Factor(this SizeScaling rule, double factor, int imageSize) => Length(rule, factor, 1.0, imageSize);

    /// <summary>A length <paramref name="length"/> (pixels at 224²) whose cutoff is the fraction
    /// <paramref name="cutoff"/> / length of the Nyquist frequency, for images of <paramref name="imageSize"/> pixels;
    /// exactly <paramref name="length"/> at 224².</summary>
    public static double Length(this SizeScaling rule, double length, double cutoff, int imageSize)
    {
        Guard.Positive(length, nameof(length));
        Guard.Positive(cutoff, nameof(cutoff));
        double kappa = Exponent(imageSize);
        if (imageSize == ReferenceSize) return length;
        return rule switch
        {
            SizeScaling.MatchedEnergy => cutoff * Math.Pow(length / cutoff, kappa),
            SizeScaling.Proportional => length * imageSize / ReferenceSize,
            SizeScaling.None => length,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown SizeScaling."),
        };
    }
}
