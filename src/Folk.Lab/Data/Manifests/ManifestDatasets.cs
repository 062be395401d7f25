using System.Globalization;
using Folk.Lab.Data.Readers;

namespace Folk.Lab.Data.Manifests;

/// <summary>Opens a split of a manifest's data set, with the reader its layout names.</summary>
public static class ManifestDatasets
{
    /// <summary>
    /// The split <paramref name="split"/> of <paramref name="manifest"/>'s data set under <paramref name="root"/>, or,
    /// when <paramref name="root"/> is null, under the manifest's <see cref="DatasetManifest.DefaultRoot"/>.
    /// </summary>
    /// <remarks>
    /// An image folder, an image list (<see cref="ImageListDataset"/>), CIFAR, STL-10 (for STL-10, "train" also takes
    /// the 100,000 unlabelled images, as pre-training wants) or Fashion-MNIST ("train" or "test"; 28×28, grey repeated
    /// to three channels: <see cref="FashionMnistDataset"/>'s defaults).
    /// </remarks>
    public static IImageDataset Open(DatasetManifest manifest, string? root, string split = "train")
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(split);
        root ??= manifest.DefaultRoot
            ?? throw new ArgumentException($"{manifest.Name}: no root given and the manifest has no default_root; name the folder holding the data set.", nameof(root));
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"{root}: no such folder (the local copy of {manifest.Name}{(root == manifest.DefaultRoot ? ", its manifest's default_root" : "")}).");

        var entry = manifest.Splits.FirstOrDefault(s => s.Name == split)
            ?? throw new ArgumentException($"{manifest.Name} has no split '{split}'; it has: {string.Join(", ", manifest.Splits.Select(s => s.Name))}.", nameof(split));
        return manifest.Layout switch
        {
            ManifestLayout.ImageFolder => new ImageFolderDataset(Path.Combine(root, entry.Path)),
            ManifestLayout.ImageList => OpenList(manifest, root, entry),
            ManifestLayout.Cifar10Binary => new CifarDataset(root, CifarVariant.Cifar10, split == "test" ? CifarSplit.Test : CifarSplit.Train),
            ManifestLayout.Cifar100Binary => new CifarDataset(root, CifarVariant.Cifar100, split == "test" ? CifarSplit.Test : CifarSplit.Train),
            ManifestLayout.Stl10Binary => new Stl10Dataset(root, split switch
            {
                "test" => Stl10Split.Test, "unlabeled" => Stl10Split.Unlabeled, "train-labeled" => Stl10Split.Train, _ => Stl10Split.TrainAndUnlabeled,
            }),
            ManifestLayout.FashionMnistIdx => new FashionMnistDataset(root, split == "test" ? FashionMnistSplit.Test : FashionMnistSplit.Train),
            _ => throw new ArgumentException($"{manifest.Name}: layout {manifest.Layout} is not an image-classification source for this command.", nameof(manifest)),
        };
    }

    /// <summary>An image-list split: its list file in the split's folder, its images under the list's tree; the
    /// number of entries is checked against the manifest, so a shortened list cannot pass for the subset.</summary>
    static ImageListDataset OpenList(DatasetManifest manifest, string root, ManifestSplit entry)
    {
        var list = entry.List
            ?? throw new ArgumentException($"{manifest.Name}: split '{entry.Name}' has no image list ('list' in the manifest), so it has no images to open.");
        var data = new ImageListDataset(Path.Combine(root, entry.Path, list.File), Path.Combine(root, list.ImagesUnder));
        if (data.Count != list.Entries)
            throw new InvalidDataException(
                $"{data.ListFile}: names {N(data.Count)} images, but {manifest.Name} lists {N(list.Entries)} for split '{entry.Name}'.");
        return data;
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
