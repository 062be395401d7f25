namespace Folk.Lab.Data.Readers;

/// <summary>Reading the files of an image-file dataset (<see cref="ImageFolderDataset"/>, <see cref="ImageListDataset"/>),
/// whose samples are (path, label) pairs.</summary>
internal static class ImageFiles
{
    /// <summary>Sample <paramref name="index"/>'s bytes, undecoded.</summary>
    public static EncodedImage Read(IReadOnlyList<(string Path, int Label)> samples, int index)
    {
        if (index < 0 || index >= samples.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {samples.Count}); got {index}.");
        var (path, label) = samples[index];
        return new EncodedImage(ImageDecoder.ReadAll(path), label, path);
    }

    /// <summary>Sample <paramref name="index"/>, decoded.</summary>
    public static ImageSample Get(IReadOnlyList<(string Path, int Label)> samples, int index)
    {
        var file = Read(samples, index);
        return new ImageSample(ImageDecoder.Decode(file.Bytes, file.Source), file.Label, file.Source);
    }
}
