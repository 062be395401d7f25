using System.Globalization;
using static TorchSharp.torch;

namespace Folk.Lab.Data.Readers;

/// <summary>Half of Fashion-MNIST.</summary>
public enum FashionMnistSplit
{
    /// <summary>60,000 training images (train-images-idx3-ubyte, train-labels-idx1-ubyte).</summary>
    Train,

    /// <summary>10,000 test images (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte).</summary>
    Test,
}

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017, https://github.com/zalandoresearch/fashion-mnist): 28×28 grey
/// images of Zalando's articles in 10 balanced classes, read from the four original IDX files
/// (<see cref="IdxFile"/>): train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
/// t10k-labels-idx1-ubyte.gz. Debian's <c>dataset-fashion-mnist</c> installs them in /usr/share/datasets/fashion-mnist/.
/// </summary>
/// <remarks>
/// <para><c>root</c> is the folder holding the files, gzip-compressed (<c>name.gz</c>) or plain (<c>name</c>, as
/// torchvision leaves them in FashionMNIST/raw/); the .gz file is used when both exist. Both files of the split are
/// decoded once, at construction (the 60,000 training images are 47 MB of bytes), and checked: 28×28 images, as many
/// labels as images, labels 0…9. <see cref="Get"/> then only copies 784 bytes into a tensor: cheap, and safe from many
/// threads, since nothing is written after construction.</para>
/// <para>The input size. The images are 28×28 as published, the size every known figure on Fashion-MNIST is measured
/// at, so that is the default. Frequency masking and patch models want more: MFM's ResNet-50 halves the size five
/// times (a multiple of 32 is needed), and Folk.Lab's small recipes are CIFAR-sized, 32×32 with ViT patch 4 (an 8×8
/// grid). <see cref="PadTo"/> = 32 gives that by adding 2 pixels of zeros on each side — the background of
/// Fashion-MNIST is 0 — which keeps every pixel, where a resize would interpolate and low-pass the spectrum that the
/// methods mask. LeNet-5 met the same need the same way: its input was 32×32, the 28×28 MNIST field centred in it
/// (LeCun et al., 1998, "Gradient-based learning applied to document recognition", §II.B). Padding is torchvision's <c>CenterCrop(PadTo)</c> on the 28×28 image:
/// ⌊(PadTo − 28)/2⌋ pixels before, the rest after.</para>
/// </remarks>
public sealed class FashionMnistDataset : IImageDataset
{
    /// <summary>Rows and columns of a stored image.</summary>
    public const int Side = 28;

    /// <summary>
    /// The class names, index = label: Fashion-MNIST's README ("Labels") and torchvision's <c>FashionMNIST.classes</c>.
    /// </summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    readonly ReadOnlyMemory<byte> _pixels;
    readonly ReadOnlyMemory<byte> _labels;
    readonly int _size, _offset;
    readonly string _prefix;

    /// <summary>The folder the files were read from.</summary>
    public string Root { get; }

    /// <summary>Train or test.</summary>
    public FashionMnistSplit Split { get; }

    /// <summary>The images file read (full path).</summary>
    public string ImagesFile { get; }

    /// <summary>The labels file read (full path).</summary>
    public string LabelsFile { get; }

    /// <summary>Three channels (the default) or one; see <see cref="GreyChannels"/>.</summary>
    public GreyChannels Channels { get; }

    /// <summary>The side of the images returned: null for 28×28 as stored, else zero-padded to PadTo × PadTo.</summary>
    public int? PadTo { get; }

    /// <summary>The side of the images <see cref="Get"/> returns: <see cref="PadTo"/>, or 28.</summary>
    public int ImageSize => _size;

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => ClassNames;

    /// <summary>Every label, in index order (0…9), without decoding an image.</summary>
    public ReadOnlyMemory<byte> Labels => _labels;

    /// <summary>
    /// Reads a split. <paramref name="channels"/>: <see cref="GreyChannels.Repeat3"/> (the default, 3×H×W) or
    /// <see cref="GreyChannels.Single"/> (1×H×W, for raw-pixel work only). <paramref name="padTo"/>: null for 28×28,
    /// or a side of at least 28 to zero-pad to (32 for patch-4 ViTs and ResNets). Throws
    /// <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> when files are missing and
    /// <see cref="InvalidDataException"/>, naming the file, when one is truncated, not IDX, of the wrong kind or size,
    /// or when the images and labels do not match.
    /// </summary>
    public FashionMnistDataset(string root, FashionMnistSplit split, GreyChannels channels = GreyChannels.Repeat3, int? padTo = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Enum.IsDefined(split)) throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Train or Test.");
        if (!Enum.IsDefined(channels)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be Repeat3 or Single.");
        if (padTo is { } p && p < Side)
            throw new ArgumentOutOfRangeException(nameof(padTo), p, $"padTo must be null (28×28 as stored) or a side of at least 28 to zero-pad to; got {p}.");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such folder (Fashion-MNIST's IDX files expected there).");
        (Split, Channels, PadTo) = (split, channels, padTo);
        Root = Path.GetFullPath(root);
        _size = padTo ?? Side;
        _offset = (_size - Side) / 2;

        string stem = split == FashionMnistSplit.Train ? "train" : "t10k";
        ImagesFile = Find(Root, $"{stem}-images-idx3-ubyte");
        LabelsFile = Find(Root, $"{stem}-labels-idx1-ubyte");
        var images = IdxFile.Read(ImagesFile, IdxFile.ImagesMagic);
        var labels = IdxFile.Read(LabelsFile, IdxFile.LabelsMagic);
        var (count, rows, columns) = (images.Dimensions[0], images.Dimensions[1], images.Dimensions[2]);
        if (rows != Side || columns != Side)
            throw new InvalidDataException($"{ImagesFile}: holds {rows}×{columns} images; Fashion-MNIST's are 28×28.");
        if (count == 0) throw new InvalidDataException($"{ImagesFile}: holds no images.");
        if (labels.Dimensions[0] != count)
            throw new InvalidDataException($"{LabelsFile}: holds {N(labels.Dimensions[0])} labels but {ImagesFile} holds {N(count)} images; the two files must be of the same split.");
        int bad = labels.Values.Span.IndexOfAnyExceptInRange((byte)0, (byte)(ClassNames.Count - 1));
        if (bad >= 0)
            throw new InvalidDataException($"{LabelsFile}: label {N(bad)} is {labels.Values.Span[bad]}; Fashion-MNIST's labels are 0…9.");
        _pixels = images.Values;
        _labels = labels.Values;
        Count = count;
        _prefix = $"fashion-mnist:{Path.GetFileName(ImagesFile)}#";
    }

    /// <inheritdoc/>
    /// <remarks>The image is C×S×S float32 in [0,1], C = 3 or 1 (<see cref="Channels"/>), S = <see cref="ImageSize"/>;
    /// the source is "fashion-mnist:train-images-idx3-ubyte.gz#index".</remarks>
    public int LabelOf(int index) => _labels.Span[index];

    /// <inheritdoc/>
    public ImageSample Get(int index)
    {
        if (index < 0 || index >= Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}); got {index}.");
        int channels = Channels == GreyChannels.Repeat3 ? 3 : 1, plane = _size * _size;
        // Written straight into a uint8 tensor's storage: no managed array per image. On machines whose CPU cache
        // sizes .NET cannot read, the GC's first generation is 256 KB, and two arrays per image made a collection
        // every few batches, which cost a fifth of the training speed (README, "Performance").
        using var eightBit = zeros(new long[] { channels, _size, _size }, ScalarType.Byte);   // zeros: the padding
        var bytes = eightBit.bytes;
        var image = _pixels.Span.Slice(index * Side * Side, Side * Side);
        for (int y = 0; y < Side; y++)
            image.Slice(y * Side, Side).CopyTo(bytes.Slice((y + _offset) * _size + _offset));
        for (int c = 1; c < channels; c++) bytes.Slice(0, plane).CopyTo(bytes.Slice(c * plane));
        // the divisor is a pinned scalar: no temporary one for the collector to free mid-op (PinnedScalars)
        var pixels = eightBit.to(ScalarType.Float32).div_(PinnedScalars.ByteMax);
        return new ImageSample(pixels, _labels.Span[index], _prefix + index.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>name.gz, else name, in <paramref name="root"/>; a clear error naming both when neither exists.</summary>
    static string Find(string root, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
            if (File.Exists(Path.Combine(root, candidate))) return Path.Combine(root, candidate);
        throw new FileNotFoundException(
            $"{root}: neither {name}.gz nor {name} is there (Fashion-MNIST's IDX files; on Debian: sudo apt-get install -y dataset-fashion-mnist).",
            Path.Combine(root, name + ".gz"));
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
