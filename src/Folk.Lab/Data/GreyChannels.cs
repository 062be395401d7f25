namespace Folk.Lab.Data;

/// <summary>How a reader of a grey (single-channel) source shapes its images.</summary>
/// <remarks>
/// Everything after the reader expects <see cref="ImageSample.Image"/> to be 3×H×W: every transform checks for three
/// channels (<see cref="Transforms.IImageTransform"/>), and so do <see cref="ImageNetNormalization"/> and the models,
/// which are built for RGB input. <see cref="Repeat3"/> is therefore the default; <see cref="Single"/> is for code that
/// reads the pixels itself (statistics, a probe on raw pixels), with no transform and no ImageNet normalisation.
/// </remarks>
public enum GreyChannels
{
    /// <summary>
    /// 3×H×W, the grey value repeated in R, G and B, as torchvision's <c>ImageFolder</c> loader gives for grey files
    /// (<c>Image.convert("RGB")</c>) and as <see cref="ImageDecoder"/> does. The default: it flows through every
    /// transform, the loader and the models unchanged.
    /// </summary>
    Repeat3,

    /// <summary>
    /// 1×H×W, the values as stored (torchvision's <c>FashionMNIST</c> with <c>ToTensor()</c>). For readers and probes
    /// on raw pixels only: the transforms, <see cref="ImageNetNormalization"/> and the models refuse one channel.
    /// </summary>
    Single,
}
