using Folk.Lab.Data;
using Folk.Lab.Data.Manifests;
using Folk.Lab.Data.Readers;

namespace Folk.Lab.Evaluation.Segmentation;

/// <summary>A data set with per-pixel labels for the segmentation protocol.</summary>
/// <param name="Train">The training split; every sample carries <see cref="ImageSample.Segmentation"/>.</param>
/// <param name="Test">The split scored (ADE20K: its 2,000 validation images, the benchmark's test set).</param>
/// <param name="Name">What results record ("ade20k", "synthetic").</param>
/// <param name="Classes">The pixel classes, label order.</param>
public sealed record SegmentationData(IImageDataset Train, IImageDataset Test, string Name, IReadOnlyList<string> Classes)
{
    /// <summary>
    /// Opens "synthetic" (the built-in images with their per-pixel labels, <paramref name="syntheticTrain"/> and
    /// <paramref name="syntheticTest"/> of them at <paramref name="syntheticSize"/>², seeds 1 and 2, never the pre-training
    /// seed 0: 11 classes, the background then the ten object classes) or a manifest of layout "ade20k" (its "train" and
    /// "val" splits under <paramref name="root"/>, or its default_root).
    /// </summary>
    public static SegmentationData Open(string data, string? root, int syntheticSize, int syntheticTrain = 2000, int syntheticTest = 500)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data == "synthetic")
        {
            var train = new SyntheticImages(new SyntheticImagesOptions { Size = syntheticSize, Count = syntheticTrain, Seed = 1, Segmentation = true });
            var test = new SyntheticImages(new SyntheticImagesOptions { Size = syntheticSize, Count = syntheticTest, Seed = 2, Segmentation = true });
            return new SegmentationData(train, test, "synthetic", ["background", .. train.Classes]);
        }
        if (!File.Exists(data))
            throw new FileNotFoundException($"--data {data}: not 'synthetic' and no such manifest file (see data-manifests/ade20k.json).", data);
        var manifest = ManifestReader.Read(data);
        var trainSet = ManifestDatasets.OpenSegmentation(manifest, root, "train");
        var testSet = ManifestDatasets.OpenSegmentation(manifest, root, "val");
        if (manifest.Classes is { } classes && classes != trainSet.PixelClasses.Count)
            throw new InvalidDataException($"{data}: the manifest gives {classes} classes but its reader labels {trainSet.PixelClasses.Count}.");
        return new SegmentationData(trainSet, testSet, manifest.Name, trainSet.PixelClasses);
    }
}
