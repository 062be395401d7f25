namespace Folk.Lab.Data;

/// <summary>
/// A labelled image collection with random access: the synthetic images, an ImageFolder, CIFAR, STL-10. Datasets
/// decode; augmentation is the loader's job (<see cref="Transforms.IImageTransform"/>).
/// </summary>
/// <remarks>Implementations must be safe to call from several threads at once: the loader decodes on all cores.</remarks>
public interface IImageDataset
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Class names, index = label. Empty for unlabelled data (labels are then −1).</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Decodes sample <paramref name="index"/>. Throws <see cref="ImageDecodeException"/> (naming the file) for an
    /// unreadable or corrupt image, never anything deeper.
    /// </summary>
    ImageSample Get(int index);

    /// <summary>The label of sample <paramref name="index"/> (−1 when unlabelled). This default decodes the image;
    /// datasets that store labels apart from pixels answer without decoding (class-balanced subsets and few-shot
    /// episodes read every label).</summary>
    int LabelOf(int index)
    {
        using var sample = Get(index);
        return sample.Label;
    }
}
