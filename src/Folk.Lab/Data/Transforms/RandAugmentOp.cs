namespace Folk.Lab.Data.Transforms;

/// <summary>
/// The operations RandAugment chooses from, named as in timm 0.4.12 <c>timm/data/auto_augment.py</c>
/// (<c>NAME_TO_OP</c>, <c>LEVEL_TO_ARG</c>). Each summary gives the argument at magnitude m ∈ [0, 10]
/// (<see cref="RandAugment.Argument"/>); ± marks the ops whose argument gets a random sign.
/// </summary>
/// <remarks>The "increasing" variants grow more severe with m (timm <c>_RAND_INCREASING_TRANSFORMS</c>, the
/// <c>inc1</c> of <c>rand-m9-mstd0.5-inc1</c>); the others are the original RandAugment levels (timm
/// <c>_RAND_TRANSFORMS</c>), in which posterize and solarize grow milder with m and the enhancements go from 0.1 to
/// 1.9.</remarks>
public enum RandAugmentOp
{
    /// <summary><see cref="ImageOps.AutoContrast"/>; no argument.</summary>
    AutoContrast,
    /// <summary><see cref="ImageOps.Equalize"/>; no argument.</summary>
    Equalize,
    /// <summary><see cref="ImageOps.Invert"/>; no argument.</summary>
    Invert,
    /// <summary><see cref="AffineWarp.Rotate"/> by ±30·m/10 degrees.</summary>
    Rotate,
    /// <summary><see cref="ImageOps.Posterize"/> to ⌊4·m/10⌋ bits.</summary>
    Posterize,
    /// <summary><see cref="ImageOps.Posterize"/> to 4 − ⌊4·m/10⌋ bits.</summary>
    PosterizeIncreasing,
    /// <summary><see cref="ImageOps.Solarize"/> at level ⌊256·m/10⌋.</summary>
    Solarize,
    /// <summary><see cref="ImageOps.Solarize"/> at level 256 − ⌊256·m/10⌋.</summary>
    SolarizeIncreasing,
    /// <summary><see cref="ImageOps.SolarizeAdd"/> of ⌊110·m/10⌋ below level 128.</summary>
    SolarizeAdd,
    /// <summary><see cref="ImageEnhance.Color"/> with factor 0.1 + 1.8·m/10.</summary>
    Color,
    /// <summary><see cref="ImageEnhance.Color"/> with factor 1 ± 0.9·m/10.</summary>
    ColorIncreasing,
    /// <summary><see cref="ImageEnhance.Contrast"/> with factor 0.1 + 1.8·m/10.</summary>
    Contrast,
    /// <summary><see cref="ImageEnhance.Contrast"/> with factor 1 ± 0.9·m/10.</summary>
    ContrastIncreasing,
    /// <summary><see cref="ImageEnhance.Brightness"/> with factor 0.1 + 1.8·m/10.</summary>
    Brightness,
    /// <summary><see cref="ImageEnhance.Brightness"/> with factor 1 ± 0.9·m/10.</summary>
    BrightnessIncreasing,
    /// <summary><see cref="ImageEnhance.Sharpness"/> with factor 0.1 + 1.8·m/10.</summary>
    Sharpness,
    /// <summary><see cref="ImageEnhance.Sharpness"/> with factor 1 ± 0.9·m/10.</summary>
    SharpnessIncreasing,
    /// <summary><see cref="AffineWarp.ShearX"/> with factor ±0.3·m/10.</summary>
    ShearX,
    /// <summary><see cref="AffineWarp.ShearY"/> with factor ±0.3·m/10.</summary>
    ShearY,
    /// <summary><see cref="AffineWarp.TranslateX"/> by ±(translate fraction)·m/10 of the width (timm's default
    /// fraction 0.45).</summary>
    TranslateXRel,
    /// <summary><see cref="AffineWarp.TranslateY"/> by ±(translate fraction)·m/10 of the height.</summary>
    TranslateYRel,
}
