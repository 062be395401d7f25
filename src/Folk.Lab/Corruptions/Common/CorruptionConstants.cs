namespace Folk.Lab.Corruptions.Common;

/// <summary>
/// Which published table of per-severity constants a corruption uses. The constants are lengths and amounts tuned to
/// one image side, so ImageNet-C's (224²) and CIFAR-10-C's (32²) differ (hendrycks/robustness
/// <c>ImageNet-C/create_c/make_imagenet_c.py</c> and <c>make_cifar_c.py</c>). Folk.Lab picks the table from the
/// image side and refuses other sides rather than guess a rescaling that neither benchmark used.
/// </summary>
public enum CorruptionConstants
{
    /// <summary>ImageNet-C: 224×224 images (the centre crop after resizing to 256).</summary>
    ImageNet224,
    /// <summary>CIFAR-10-C: 32×32 images. Folk.Lab's CPU miniatures (Fashion-MNIST padded to 32²) use this table.</summary>
    Cifar32,
}
