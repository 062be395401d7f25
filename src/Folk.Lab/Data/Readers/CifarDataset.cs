using static TorchSharp.torch;

namespace Folk.Lab.Data.Readers;

/// <summary>Which CIFAR.</summary>
public enum CifarVariant
{
    /// <summary>CIFAR-10: 10 classes; data_batch_1..5.bin (train) and test_batch.bin, 1 label byte per record.</summary>
    Cifar10,

    /// <summary>CIFAR-100: 100 fine classes in 20 coarse ones; train.bin and test.bin, 2 label bytes per record.</summary>
    Cifar100,
}

/// <summary>Half of a CIFAR data set.</summary>
public enum CifarSplit
{
    /// <summary>50,000 training images.</summary>
    Train,

    /// <summary>10,000 test images.</summary>
    Test,
}

/// <summary>Which CIFAR-100 label a sample carries.</summary>
public enum CifarLabels
{
    /// <summary>The 100 fine classes (the usual benchmark, and torchvision's CIFAR100). The default.</summary>
    Fine,

    /// <summary>The 20 coarse superclasses.</summary>
    Coarse,
}

/// <summary>
/// CIFAR-10 and CIFAR-100 in their binary versions (cifar-10-binary.tar.gz, cifar-100-binary.tar.gz from
/// https://www.cs.toronto.edu/~kriz/cifar.html). Each record is the label byte(s) — CIFAR-10: the class;
/// CIFAR-100: coarse then fine — followed by 3072 pixel bytes: the 1024 red values of the 32×32 image row by row,
/// then green, then blue.
/// </summary>
/// <remarks>
/// Records are read lazily at their offsets, so the reader holds no pixels and is safe to use from many threads.
/// <c>root</c> is the folder holding the .bin files, or its parent (then cifar-10-batches-bin/ or cifar-100-binary/
/// is used). Class names come from batches.meta.txt (CIFAR-10), fine_label_names.txt or coarse_label_names.txt
/// (CIFAR-100) when present, otherwise they are "0", "1", ….
/// </remarks>
public sealed class CifarDataset : IImageDataset
{
    const int Side = 32, Pixels = 3 * Side * Side;

    readonly RecordFile[] _files;
    readonly long[] _starts;
    readonly int _labelBytes, _labelOffset, _classCount;
    readonly string _prefix;

    /// <summary>The folder the .bin files were found in.</summary>
    public string Root { get; }

    /// <summary>CIFAR-10 or CIFAR-100.</summary>
    public CifarVariant Variant { get; }

    /// <summary>Train or test.</summary>
    public CifarSplit Split { get; }

    /// <summary>Fine or coarse labels (CIFAR-100; always <see cref="CifarLabels.Fine"/> for CIFAR-10).</summary>
    public CifarLabels Labels { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Opens a split. Throws <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> when
    /// files are missing and <see cref="InvalidDataException"/> when a file is not a whole number of records.
    /// </summary>
    public CifarDataset(string root, CifarVariant variant, CifarSplit split, CifarLabels labels = CifarLabels.Fine)
    {
        if (!Enum.IsDefined(variant)) throw new ArgumentOutOfRangeException(nameof(variant), variant, "variant must be Cifar10 or Cifar100.");
        if (!Enum.IsDefined(split)) throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Train or Test.");
        if (!Enum.IsDefined(labels)) throw new ArgumentOutOfRangeException(nameof(labels), labels, "labels must be Fine or Coarse.");
        if (variant == CifarVariant.Cifar10 && labels == CifarLabels.Coarse)
            throw new ArgumentException("labels = Coarse exists only for CIFAR-100; CIFAR-10 has one label per image.", nameof(labels));
        Variant = variant;
        Split = split;
        Labels = labels;

        string[] names;
        string classFile;
        if (variant == CifarVariant.Cifar10)
        {
            names = split == CifarSplit.Train ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray() : new[] { "test_batch.bin" };
            Root = ArchiveFolder.Resolve(root, "cifar-10-batches-bin", names[0], "CIFAR-10");
            (_labelBytes, _labelOffset, _classCount, classFile, _prefix) = (1, 0, 10, "batches.meta.txt", "cifar10");
        }
        else
        {
            names = new[] { split == CifarSplit.Train ? "train.bin" : "test.bin" };
            Root = ArchiveFolder.Resolve(root, "cifar-100-binary", names[0], "CIFAR-100");
            (_labelBytes, _prefix) = (2, "cifar100");
            (_labelOffset, _classCount, classFile) = labels == CifarLabels.Fine ? (1, 100, "fine_label_names.txt") : (0, 20, "coarse_label_names.txt");
        }

        string layout = $"{(variant == CifarVariant.Cifar10 ? "CIFAR-10" : "CIFAR-100")} binary: {_labelBytes} label byte(s) + {Pixels} pixel bytes per image";
        _files = names.Select(n => new RecordFile(Path.Combine(Root, n), _labelBytes + Pixels, layout)).ToArray();
        _starts = new long[_files.Length + 1];
        for (int i = 0; i < _files.Length; i++) _starts[i + 1] = _starts[i] + _files[i].Count;
        Count = checked((int)_starts[^1]);
        Classes = ArchiveFolder.ClassNames(Path.Combine(Root, classFile), _classCount);
    }

    /// <inheritdoc/>
    public ImageSample Get(int index)
    {
        if (index < 0 || index >= Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}); got {index}.");
        int f = 0;
        while (_starts[f + 1] <= index) f++;                 // at most five files
        var file = _files[f];
        long record = index - _starts[f];
        var buffer = new byte[file.RecordSize];
        file.Read(record, buffer);

        string source = $"{_prefix}:{file.Name}#{record}";
        int label = buffer[_labelOffset];
        if (label >= _classCount)
            throw new ImageDecodeException(source, $"label byte {label} is outside 0..{_classCount - 1}; the file is corrupt or not {_prefix} binary");

        using var scope = NewDisposeScope();
        var image = tensor(buffer[_labelBytes..], new long[] { 3, Side, Side }).to(ScalarType.Float32).div_(255f);
        return new ImageSample(image.MoveToOuterDisposeScope(), label, source);
    }
}
