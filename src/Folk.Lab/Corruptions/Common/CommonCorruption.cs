namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// The fifteen corruptions of ImageNet-C, in the benchmark's order (Hendrycks &amp; Dietterich, "Benchmarking Neural
/// Network Robustness to Common Corruptions and Perturbations", ICLR 2019, arXiv 1903.12261, Fig. 1; hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c>). MFM reports mCE over these fifteen (arXiv 2206.07706, Table 4).
/// </summary>
public enum CommonCorruption
{
    /// <summary>Additive Gaussian noise.</summary>
    GaussianNoise,
    /// <summary>Poisson (photon) noise.</summary>
    ShotNoise,
    /// <summary>Salt-and-pepper noise.</summary>
    ImpulseNoise,
    /// <summary>Out-of-focus blur: an anti-aliased disk kernel.</summary>
    DefocusBlur,
    /// <summary>Frosted glass: Gaussian blur, local pixel shuffling, blur again.</summary>
    GlassBlur,
    /// <summary>Camera motion: a one-sided Gaussian streak at a random angle.</summary>
    MotionBlur,
    /// <summary>Zoom blur: the mean of centre zooms.</summary>
    ZoomBlur,
    /// <summary>Falling snow: a motion-blurred snow layer over a greyed image.</summary>
    Snow,
    /// <summary>Ice crystals on a window.</summary>
    Frost,
    /// <summary>Fog: a plasma-fractal haze.</summary>
    Fog,
    /// <summary>Brightness: the HSV value channel raised.</summary>
    Brightness,
    /// <summary>Contrast: each channel pulled towards its mean.</summary>
    Contrast,
    /// <summary>Elastic transform: an affine jitter and a smoothed random displacement field.</summary>
    ElasticTransform,
    /// <summary>Pixelation: box down-sampling and box up-sampling.</summary>
    Pixelate,
    /// <summary>JPEG compression at a low quality.</summary>
    JpegCompression,
}

/// <summary>The four groups ImageNet-C sorts its corruptions into (arXiv 1903.12261, §3).</summary>
public enum CorruptionFamily
{
    /// <summary>Gaussian, shot and impulse noise.</summary>
    Noise,
    /// <summary>Defocus, glass, motion and zoom blur.</summary>
    Blur,
    /// <summary>Snow, frost and fog.</summary>
    Weather,
    /// <summary>Brightness, contrast, elastic transform, pixelate and JPEG. ImageNet-C files brightness under weather
    /// in its folder layout and under digital in the paper's Fig. 1; Folk.Lab follows the folder layout, which is what
    /// the published result tables are grouped by.</summary>
    Digital,
}
