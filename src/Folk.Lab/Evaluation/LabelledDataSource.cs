using Folk.Lab.Data;
using Folk.Lab.Data.Manifests;
using Folk.Lab.Evaluation.Finetuning;

namespace Folk.Lab.Evaluation;

/// <summary>Opens the labelled train and test splits a downstream protocol needs, by the name the CLI takes.</summary>
public static class LabelledDataSource
{
    /// <summary>
    /// "synthetic": the built-in images (<paramref name="syntheticTrain"/> and <paramref name="syntheticTest"/> of
    /// them, seeds 1 and 2, neither the pre-training seed 0); otherwise a manifest file, its "train" split and its
    /// "test" split (or "val" where it has no "test"). Fashion-MNIST is zero-padded to <paramref name="imageSize"/>
    /// when that is larger than its 28 pixels.
    /// </summary>
    public static LabelledData Open(string data, string? root, int imageSize, int syntheticTrain = 5000, int syntheticTest = 1000)
    {
        if (data == "synthetic")
        {
            var train = new SyntheticImages(new SyntheticImagesOptions { Size = imageSize, Count = syntheticTrain, Seed = 1 });
            var test = new SyntheticImages(new SyntheticImagesOptions { Size = imageSize, Count = syntheticTest, Seed = 2 });
            return new LabelledData(train, test, "synthetic", train.Classes.Count);
        }
        if (!File.Exists(data))
            throw new FileNotFoundException($"--data {data}: not 'synthetic' and no such manifest file (see data-manifests/).", data);
        var manifest = ManifestReader.Read(data);
        int? padTo = manifest.Layout == ManifestLayout.FashionMnistIdx && imageSize > Data.Readers.FashionMnistDataset.Side ? imageSize : null;
        string testSplit = manifest.Layout is ManifestLayout.ImageFolder or ManifestLayout.ImageList && manifest.Splits.All(s => s.Name != "test") ? "val" : "test";
        var trainSet = ManifestDatasets.Open(manifest, root, "train", padTo);
        var testSet = ManifestDatasets.Open(manifest, root, testSplit, padTo);
        int classes = manifest.Classes ?? trainSet.Classes.Count;
        if (classes <= 0) throw new InvalidDataException($"{data}: the manifest gives no class count and the data set names no classes.");
        return new LabelledData(trainSet, testSet, manifest.Name, classes);
    }

    /// <summary>
    /// <paramref name="data"/> with its training split replaced by the image list of <paramref name="subsetManifest"/>, a
    /// label-subset manifest such as SimCLR's 1 % and 10 % ImageNet lists (data-manifests/imagenet-1k-1pct.json,
    /// -10pct.json) whose images lie in the same training tree under <paramref name="root"/> (null: the manifest's
    /// default_root). The labels agree with the full data set's (<see cref="Data.Readers.ImageListDataset"/> numbers
    /// every class folder, listed or not), and <see cref="LabelledData.TrainShare"/> records the subset's share.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such manifest.</exception>
    /// <exception cref="ArgumentException">The manifest has no single image-list split.</exception>
    /// <exception cref="InvalidDataException">The subset's classes are not the data set's.</exception>
    public static LabelledData WithLabelSubset(LabelledData data, string subsetManifest, string? root)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!File.Exists(subsetManifest))
            throw new FileNotFoundException($"--labels {subsetManifest}: no such manifest file (e.g. data-manifests/imagenet-1k-1pct.json).", subsetManifest);
        var manifest = ManifestReader.Read(subsetManifest);
        var lists = manifest.Splits.Where(s => s.List is not null).ToList();
        if (lists.Count != 1)
            throw new ArgumentException($"{subsetManifest}: a label subset is a manifest with one image-list split; {manifest.Name} has {lists.Count}.", nameof(subsetManifest));
        var train = ManifestDatasets.Open(manifest, root, lists[0].Name);
        if (train.Classes.Count != data.Classes)
            throw new InvalidDataException($"{subsetManifest}: its images fall in {train.Classes.Count} class folders, but {data.Name} has {data.Classes} classes.");
        return data with { Train = train, TrainShare = (double)train.Count / data.Train.Count };
    }

    /// <summary>
    /// Only the evaluation split of <paramref name="data"/> (as <see cref="Open"/> picks it), for protocols that score a
    /// finished classifier: a test-only manifest such as ImageNet-A, -R or -Sketch needs no training split. Returns its
    /// label space too when its classes are a subset of another data set's (<see cref="DatasetManifest.LabelSpace"/>).
    /// </summary>
    public static (IImageDataset Test, string Name, int Classes, ManifestLabelSpace? LabelSpace) OpenTest(string data, string? root, int imageSize, int syntheticTest = 1000)
    {
        if (data == "synthetic")
        {
            var test = new SyntheticImages(new SyntheticImagesOptions { Size = imageSize, Count = syntheticTest, Seed = 2 });
            return (test, "synthetic", test.Classes.Count, null);
        }
        if (!File.Exists(data))
            throw new FileNotFoundException($"--data {data}: not 'synthetic' and no such manifest file (see data-manifests/).", data);
        var manifest = ManifestReader.Read(data);
        int? padTo = manifest.Layout == ManifestLayout.FashionMnistIdx && imageSize > Data.Readers.FashionMnistDataset.Side ? imageSize : null;
        string split = manifest.Splits.Any(s => s.Name == "test") || manifest.Layout is not (ManifestLayout.ImageFolder or ManifestLayout.ImageList) ? "test" : "val";
        var testSet = ManifestDatasets.Open(manifest, root, split, padTo);
        int classes = manifest.Classes ?? testSet.Classes.Count;
        return (testSet, manifest.Name, classes, manifest.LabelSpace);
    }
}
