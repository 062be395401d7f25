using Folk.Lab.Data.Readers;

namespace Folk.Lab.Data.Manifests;

/// <summary>Opens a split of a manifest's data set, with the reader its layout names.</summary>
public static class ManifestDatasets
{
    /// <summary>
    /// The split <paramref name="split"/> of <paramref name="manifest"/> under <paramref name="root"/>: an image folder,
    /// CIFAR or STL-10 (for STL-10, "train" also takes the 100,000 unlabelled images, as pre-training wants).
    /// </summary>
    public static IImageDataset Open(DatasetManifest manifest, string root, string split = "train")
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"--root {root}: no such folder (the local copy of {manifest.Name}).");
        var entry = manifest.Splits.FirstOrDefault(s => s.Name == split)
            ?? throw new ArgumentException($"{manifest.Name} has no split '{split}'; it has: {string.Join(", ", manifest.Splits.Select(s => s.Name))}.", nameof(split));
        return manifest.Layout switch
        {
            ManifestLayout.ImageFolder => new ImageFolderDataset(Path.Combine(root, entry.Path)),
            ManifestLayout.Cifar10Binary => new CifarDataset(root, CifarVariant.Cifar10, split == "test" ? CifarSplit.Test : CifarSplit.Train),
            ManifestLayout.Cifar100Binary => new CifarDataset(root, CifarVariant.Cifar100, split == "test" ? CifarSplit.Test : CifarSplit.Train),
            ManifestLayout.Stl10Binary => new Stl10Dataset(root, split switch
            {
                "test" => Stl10Split.Test, "unlabeled" => Stl10Split.Unlabeled, "train-labeled" => Stl10Split.Train, _ => Stl10Split.TrainAndUnlabeled,
            }),
            _ => throw new ArgumentException($"{manifest.Name}: layout {manifest.Layout} is not an image-classification source for this command.", nameof(manifest)),
        };
    }
}
