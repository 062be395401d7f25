using System.Globalization;

namespace Folk.Lab.Data.Readers;

/// <summary>
/// The images named by a list file, inside an image-folder tree: ImageNet's label subsets, SimCLR's 1percent.txt and
/// 10percent.txt (Chen et al., 2020, https://github.com/google-research/simclr/tree/master/imagenet_subsets). Each
/// non-empty line names one image, e.g. <c>n01440764_10026.JPEG</c>, which lives at
/// <c>imagesUnder/n01440764/n01440764_10026.JPEG</c>: the class folder is the part of the name before the first '_'.
/// </summary>
/// <remarks>
/// <para>Labels agree with the full tree read by <see cref="ImageFolderDataset"/>: <see cref="Classes"/> are all the
/// class folders of <c>imagesUnder</c> in ordinal order (1,000 for ImageNet, however many the list touches), and a
/// sample's label is its folder's index there. Samples keep the list's order; lines are trimmed.</para>
/// <para>The list is read and every named file is checked to exist at construction; images are decoded on
/// <see cref="Get"/>. Safe to use from many threads.</para>
/// </remarks>
public sealed class ImageListDataset : IEncodedImageDataset
{
    readonly (string Path, int Label)[] _samples;

    /// <summary>The list file (full path).</summary>
    public string ListFile { get; }

    /// <summary>The folder holding the class folders (full path).</summary>
    public string ImagesUnder { get; }

    /// <summary>Every sample's file (full path) and label, in the list's order.</summary>
    public IReadOnlyList<(string Path, int Label)> Samples => _samples;

    /// <inheritdoc/>
    public int Count => _samples.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Reads <paramref name="listFile"/> and finds its images under <paramref name="imagesUnder"/>. Throws
    /// <see cref="FileNotFoundException"/> when the list or a listed image is missing (naming the list, the line and
    /// the path), <see cref="DirectoryNotFoundException"/> when <paramref name="imagesUnder"/> is, and
    /// <see cref="InvalidDataException"/> for an empty list, a line without '_' or a class folder that is not there.
    /// </summary>
    public ImageListDataset(string listFile, string imagesUnder)
    {
        ArgumentNullException.ThrowIfNull(listFile);
        ArgumentNullException.ThrowIfNull(imagesUnder);
        ListFile = Path.GetFullPath(listFile);
        ImagesUnder = Path.GetFullPath(imagesUnder);
        if (!File.Exists(ListFile)) throw new FileNotFoundException($"{listFile}: no such image list (one image name per line).", ListFile);
        if (!Directory.Exists(ImagesUnder))
            throw new DirectoryNotFoundException($"{imagesUnder}: no such folder (the class folders of the images named in {listFile}).");
        Classes = Directory.GetDirectories(ImagesUnder).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        var labels = Classes.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);

        var samples = new List<(string, int)>();
        var missing = new List<(int Line, string Name, string Path)>();
        int number = 0;
        foreach (var raw in File.ReadLines(ListFile))
        {
            number++;
            var name = raw.Trim();
            if (name.Length == 0) continue;
            int cut = name.IndexOf('_');
            if (cut <= 0 || name.Contains('/') || name.Contains('\\'))
                throw new InvalidDataException(
                    $"{ListFile} line {number}: '{name}' is not an image name of the form <class>_<id>.<ext> (e.g. n01440764_10026.JPEG).");
            var folder = name[..cut];
            if (!labels.TryGetValue(folder, out int label))
                throw new InvalidDataException($"{ListFile} line {number}: '{name}' belongs to class folder '{folder}', which is not in {ImagesUnder}.");
            var path = Path.Combine(ImagesUnder, folder, name);
            if (!File.Exists(path)) missing.Add((number, name, path));
            samples.Add((path, label));
        }
        if (missing.Count > 0)
        {
            var (line, first, at) = missing[0];
            string more = missing.Count switch
            {
                1 => "",
                2 => " (1 more listed image is missing; verifying the data set against its manifest lists them all)",
                _ => $" ({N(missing.Count - 1)} more listed images are missing; verifying the data set against its manifest lists them all)",
            };
            throw new FileNotFoundException($"{ListFile} line {line}: '{first}' names {at}, which does not exist{more}.", at);
        }
        if (samples.Count == 0) throw new InvalidDataException($"{ListFile}: names no image (one image name per line expected).");
        _samples = samples.ToArray();
    }

    /// <inheritdoc/>
    public ImageSample Get(int index) => ImageFiles.Get(_samples, index);

    /// <inheritdoc/>
    public EncodedImage GetEncoded(int index) => ImageFiles.Read(_samples, index);

    /// <inheritdoc/>
    public int LabelOf(int index) => _samples[index].Label;

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
