namespace Folk.Lab.Data;

/// <summary>
/// A dataset of image files that can hand over a file's bytes undecoded, so that the loader can decode them into 8-bit
/// pixels and run an <see cref="Transforms.IEightBitTransform"/> on those, as torchvision's ImageFolder pipelines run
/// PIL on 8-bit images (<see cref="DataLoaderOptions.Resampling"/>).
/// </summary>
public interface IEncodedImageDataset : IImageDataset
{
    /// <summary>
    /// Reads sample <paramref name="index"/>'s file. Throws <see cref="ImageDecodeException"/> (naming the file) when
    /// it cannot be read.
    /// </summary>
    EncodedImage GetEncoded(int index);
}
