namespace Folk.Lab.Data.Readers;

/// <summary>
/// Images in class folders, <c>root/&lt;class&gt;/…/&lt;image&gt;</c>, as torchvision's <c>ImageFolder</c> reads them
/// (ImageNet's train and val folders, and MFM's pre-training data, <c>data_mfm.py</c>).
/// </summary>
/// <remarks>
/// <para>Every sub-folder of <c>root</c> is a class; classes are sorted by name in ordinal (code-point) order, as
/// Python's <c>sorted</c> does, and the label is the index in that order. Each class folder is searched recursively
/// for .jpg, .jpeg, .png and .webp files (extension case ignored); folders are visited in ordinal order of their
/// paths and files in ordinal order of their names, torchvision's <c>sorted(os.walk(…))</c> order, so the same tree
/// gives the same indices in both. Other files are skipped.</para>
/// <para>The listing is made once, at construction; images are decoded on <see cref="Get"/>. Safe to use from many
/// threads.</para>
/// </remarks>
public sealed class ImageFolderDataset : IEncodedImageDataset
{
    readonly (string Path, int Label)[] _samples;

    /// <summary>The folder holding the class folders (full path).</summary>
    public string Root { get; }

    /// <summary>Every sample's file (full path) and label, in index order (torchvision's <c>samples</c>).</summary>
    public IReadOnlyList<(string Path, int Label)> Samples => _samples;

    /// <inheritdoc/>
    public int Count => _samples.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Lists the images under <paramref name="root"/>. Throws <see cref="DirectoryNotFoundException"/> when it is
    /// missing and <see cref="InvalidDataException"/> when it has no class folder or a class folder has no image.
    /// </summary>
    public ImageFolderDataset(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
            throw new DirectoryNotFoundException($"{root}: no such folder (an ImageFolder root holds one folder per class: root/<class>/<image>).");
        var classDirs = Directory.GetDirectories(Root).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0)
            throw new InvalidDataException($"{root}: no class folders; an ImageFolder root holds one folder per class (root/<class>/<image>).");
        Classes = classDirs.Select(d => Path.GetFileName(d)!).ToArray();

        var samples = new List<(string, int)>();
        for (int label = 0; label < classDirs.Length; label++)
        {
            int before = samples.Count;
            foreach (var file in ListImages(classDirs[label])) samples.Add((file, label));
            if (samples.Count == before)
                throw new InvalidDataException(
                    $"{classDirs[label]}: class folder '{Classes[label]}' holds no image ({string.Join(", ", ImageDecoder.Extensions)}); remove it or add its images.");
        }
        _samples = samples.ToArray();
    }

    /// <inheritdoc/>
    public ImageSample Get(int index) => ImageFiles.Get(_samples, index);

    /// <inheritdoc/>
    public EncodedImage GetEncoded(int index) => ImageFiles.Read(_samples, index);

    /// <inheritdoc/>
    public int LabelOf(int index) => _samples[index].Label;

    /// <summary>Image files under <paramref name="folder"/>, recursively, in torchvision's order.</summary>
    internal static IEnumerable<string> ListImages(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 };
        var folders = Directory.EnumerateDirectories(folder, "*", options).Prepend(folder).Order(StringComparer.Ordinal);
        foreach (var dir in folders)
            foreach (var file in Directory.EnumerateFiles(dir).Where(IsImage).Order(StringComparer.Ordinal))
                yield return file;
    }

    /// <summary>True for the extensions <see cref="ImageDecoder"/> reads, case ignored.</summary>
    internal static bool IsImage(string path) =>
        ImageDecoder.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());
}
