using static TorchSharp.torch;

namespace Folk.Lab.Data.Readers;

/// <summary>Which STL-10 images.</summary>
public enum Stl10Split
{
    /// <summary>5,000 labelled training images (train_X.bin, train_y.bin).</summary>
    Train,

    /// <summary>8,000 labelled test images (test_X.bin, test_y.bin).</summary>
    Test,

    /// <summary>100,000 unlabelled images (unlabeled_X.bin), label −1.</summary>
    Unlabeled,

    /// <summary>Train then unlabelled (105,000 images), torchvision's "train+unlabeled", the usual pre-training set.</summary>
    TrainAndUnlabeled,
}

/// <summary>
/// STL-10 in its binary version (stl10_binary.tar.gz from http://ai.stanford.edu/~acoates/stl10/): 96×96 colour
/// images of 27,648 bytes each, stored as MATLAB writes arrays, column-major — each channel is stored column by
/// column — so they are transposed on reading. Label files hold one byte per image, 1…10; samples carry 0…9.
/// </summary>
/// <remarks>
/// Images are read lazily at their offsets (the 100,000 unlabelled images are 2.76 GB); the label files are read at
/// construction and checked. Safe to use from many threads. <c>root</c> is the folder holding the .bin files or its
/// parent (then stl10_binary/ is used). Class names come from class_names.txt when present, otherwise "0" … "9";
/// <see cref="Classes"/> is empty for <see cref="Stl10Split.Unlabeled"/>.
/// </remarks>
public sealed class Stl10Dataset : IImageDataset
{
    const int Side = 96, ImageBytes = 3 * Side * Side;

    readonly (RecordFile Images, byte[]? Labels)[] _parts;

    /// <summary>The folder the .bin files were found in.</summary>
    public string Root { get; }

    /// <summary>The split read.</summary>
    public Stl10Split Split { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Opens a split. Throws <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> when
    /// files are missing and <see cref="InvalidDataException"/> for a wrong file size or a label outside 1…10.
    /// </summary>
    public Stl10Dataset(string root, Stl10Split split)
    {
        if (!Enum.IsDefined(split))
            throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Train, Test, Unlabeled or TrainAndUnlabeled.");
        Split = split;
        var stems = split switch
        {
            Stl10Split.Train => new[] { "train" },
            Stl10Split.Test => new[] { "test" },
            Stl10Split.Unlabeled => new[] { "unlabeled" },
            _ => new[] { "train", "unlabeled" },
        };
        Root = ArchiveFolder.Resolve(root, "stl10_binary", stems[0] + "_X.bin", "STL-10");
        _parts = stems.Select(s => Open(Root, s)).ToArray();
        Count = checked((int)_parts.Sum(p => p.Images.Count));
        Classes = split == Stl10Split.Unlabeled ? Array.Empty<string>() : ArchiveFolder.ClassNames(Path.Combine(Root, "class_names.txt"), 10);
    }

    static (RecordFile, byte[]?) Open(string root, string stem)
    {
        var images = new RecordFile(Path.Combine(root, stem + "_X.bin"), ImageBytes, "STL-10 binary: 3×96×96 bytes per image, column-major");
        if (stem == "unlabeled") return (images, null);
        var labelPath = Path.Combine(root, stem + "_y.bin");
        if (!File.Exists(labelPath)) throw new FileNotFoundException($"{labelPath}: no such file (the labels of {images.Path}).", labelPath);
        var labels = File.ReadAllBytes(labelPath);
        if (labels.Length != images.Count)
            throw new InvalidDataException(
                $"{labelPath}: holds {labels.Length} labels (one byte each) but {images.Path} holds {images.Count} images.");
        int bad = Array.FindIndex(labels, b => b < 1 || b > 10);
        if (bad >= 0) throw new InvalidDataException($"{labelPath}: byte {bad} is {labels[bad]}; STL-10 labels are 1…10.");
        return (images, labels);
    }

    /// <inheritdoc/>
    public ImageSample Get(int index)
    {
        if (index < 0 || index >= Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}); got {index}.");
        var (images, labels) = _parts[0];
        long record = index;
        if (record >= images.Count)
        {
            record -= images.Count;
            (images, labels) = _parts[1];
        }
        var buffer = new byte[ImageBytes];
        images.Read(record, buffer);
        int label = labels is null ? -1 : labels[record] - 1;

        using var scope = NewDisposeScope();
        // The file holds [channel][column][row]; transposing the last two axes gives channel × row × column.
        var image = tensor(buffer, new long[] { 3, Side, Side }).transpose(1, 2).to(ScalarType.Float32).div_(255f).contiguous();
        return new ImageSample(image.MoveToOuterDisposeScope(), label, $"stl10:{images.Name}#{record}");
    }
}
