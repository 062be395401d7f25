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
    /// Image folders (<see cref="ImageFolderDataset"/>) and image lists (<see cref="ImageListDataset"/>) take the name
    /// of one of the manifest's splits. The binary formats take their reader's split names, whatever the manifest
    /// groups its files under: CIFAR "train" and "test"; STL-10 "train" (the 5,000 labelled and 100,000 unlabelled
    /// images, as pre-training wants), "train-labeled", "test" and "unlabeled"; Fashion-MNIST "train" and "test"
    /// (28×28, grey repeated to three channels: <see cref="FashionMnistDataset"/>'s defaults).
    /// </remarks>
    /// <param name="manifest">The data set.</param>
    /// <param name="root">Its local copy (null: the manifest's default_root).</param>
    /// <param name="split">The split's name.</param>
    /// <param name="padTo">Grey IDX images only: zero-pad the 28×28 images to this side (32 gives the LeNet-5 input
    /// and 8 patches of 4); null keeps them as stored.</param>
    public static IImageDataset Open(DatasetManifest manifest, string? root, string split = "train", int? padTo = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(split);
        root = Root(manifest, root);

        ManifestSplit Entry() => manifest.Splits.FirstOrDefault(s => s.Name == split)
            ?? throw new ArgumentException($"{manifest.Name} has no split '{split}'; it has: {string.Join(", ", manifest.Splits.Select(s => s.Name))}.", nameof(split));
        T Pick<T>(params (string Name, T Value)[] names) => names.FirstOrDefault(n => n.Name == split) is { Name: not null } found
            ? found.Value
            : throw new ArgumentException($"{manifest.Name} has no split '{split}'; its reader has: {string.Join(", ", names.Select(n => n.Name))}.", nameof(split));

        return manifest.Layout switch
        {
            ManifestLayout.ImageFolder => new ImageFolderDataset(Path.Combine(root, Entry().Path)),
            ManifestLayout.ImageList => OpenList(manifest, root, Entry()),
            ManifestLayout.Cifar10Binary => new CifarDataset(root, CifarVariant.Cifar10, Pick(("train", CifarSplit.Train), ("test", CifarSplit.Test))),
            ManifestLayout.Cifar100Binary => new CifarDataset(root, CifarVariant.Cifar100, Pick(("train", CifarSplit.Train), ("test", CifarSplit.Test))),
            ManifestLayout.Stl10Binary => new Stl10Dataset(root, Pick(("train", Stl10Split.TrainAndUnlabeled), ("train-labeled", Stl10Split.Train),
                ("test", Stl10Split.Test), ("unlabeled", Stl10Split.Unlabeled))),
            ManifestLayout.FashionMnistIdx => new FashionMnistDataset(root, Pick(("train", FashionMnistSplit.Train), ("test", FashionMnistSplit.Test)), padTo: padTo),
            _ => throw new ArgumentException($"{manifest.Name}: layout {manifest.Layout} is not an image-classification source for this command.", nameof(manifest)),
        };
    }

    /// <summary>
    /// The split <paramref name="split"/> of a semantic-segmentation data set (layout "ade20k"): "train" (the 20,210
    /// training images) or "val" (the 2,000 validation images, the benchmark's test set), under
    /// <paramref name="root"/> or the manifest's default_root.
    /// </summary>
    /// <exception cref="ArgumentException">The manifest is not a segmentation data set, or the split is unknown.</exception>
    public static Ade20kDataset OpenSegmentation(DatasetManifest manifest, string? root, string split)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(split);
        if (manifest.Layout != ManifestLayout.Ade20k)
            throw new ArgumentException($"{manifest.Name}: layout {manifest.Layout} holds no per-pixel labels; semantic segmentation reads the ade20k layout.", nameof(manifest));
        var which = split switch
        {
            "train" => Ade20kSplit.Training,
            "val" => Ade20kSplit.Validation,
            _ => throw new ArgumentException($"{manifest.Name} has no split '{split}'; its reader has: train, val.", nameof(split)),
        };
        return new Ade20kDataset(Root(manifest, root), which);
    }

    static string Root(DatasetManifest manifest, string? root)
    {
        root ??= manifest.DefaultRoot
            ?? throw new ArgumentException($"{manifest.Name}: no root given and the manifest has no default_root; name the folder holding the data set.", nameof(root));
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"{root}: no such folder (the local copy of {manifest.Name}{(root == manifest.DefaultRoot ? ", its manifest's default_root" : "")}).");
        return root;
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
