using Folk.Lab.Data;
using Folk.Lab.Data.Manifests;
using Folk.Lab.Data.Readers;
using Folk.Lab.Data.Segmentation;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data.Readers;

/// <summary>ADEChallengeData2016 fixtures written by the test: JPEG photographs and hand-made 8-bit PNG class maps.</summary>
public sealed class Ade20kDatasetTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("folk-lab-ade20k-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // A 3×4 map holding "other" (0), the first and last classes (1, 150) and a few in between.
    static readonly byte[] Map = { 0, 1, 2, 150, 7, 7, 0, 3, 1, 1, 1, 149 };

    void Write(string split, string name, byte[] map, int height = 3, int width = 4, byte[]? annotation = null)
    {
        Directory.CreateDirectory(Path.Combine(_root, "images", split));
        Directory.CreateDirectory(Path.Combine(_root, "annotations", split));
        File.WriteAllBytes(Path.Combine(_root, "images", split, name + ".jpg"), EncodedImages.Jpeg(EncodedImages.Smooth(height, width), height, width));
        File.WriteAllBytes(Path.Combine(_root, "annotations", split, name + ".png"), annotation ?? EncodedImages.GrayPng(map, height, width));
    }

    [Fact]
    public void MapsAreReadWithTheZeroLabelReducedAndImagesInNameOrder()
    {
        Write("training", "ADE_train_00000002", Map);
        Write("training", "ADE_train_00000001", Map.Select(v => (byte)(150 - v)).ToArray());
        Write("validation", "ADE_val_00000001", Map);
        var train = new Ade20kDataset(_root, Ade20kSplit.Training);
        Assert.Equal(new[] { "ADE_train_00000001.jpg", "ADE_train_00000002.jpg" }, train.Samples.Select(s => Path.GetFileName(s.Image)));
        Assert.Equal((150, "wall", "flag"), (train.PixelClasses.Count, train.PixelClasses[0], train.PixelClasses[149]));
        Assert.Empty(train.Classes);
        Assert.Equal(-1, train.LabelOf(0));

        using var sample = train.Get(1);
        Assert.Equal(new long[] { 3, 3, 4 }, sample.Image.shape);
        Assert.Equal(-1, sample.Label);
        // reduce_zero_label: 0 ("other") → 255, v → v − 1
        var expected = Map.Select(v => v == 0 ? 255L : v - 1L).ToArray();
        Assert.Equal(expected, sample.Segmentation!.data<long>().ToArray());
        Assert.Equal(new long[] { 3, 4 }, sample.Segmentation.shape);
        using var first = train.Get(0);
        Assert.Equal(Map.Select(v => 150 - v == 0 ? 255L : 150 - v - 1L), first.Segmentation!.data<long>().ToArray());
        Assert.Equal(1, new Ade20kDataset(_root, Ade20kSplit.Validation).Count);
    }

    [Fact]
    public void TheManifestOpensBothSplitsAndNoOtherLayoutOrSplit()
    {
        Write("training", "a", Map);
        Write("training", "b", Map);
        Write("validation", "c", Map);
        var manifest = ManifestReader.Read(Path.Combine(RepositoryRoot.Path, "data-manifests", "ade20k.json"));
        Assert.Equal((2, 1), (ManifestDatasets.OpenSegmentation(manifest, _root, "train").Count, ManifestDatasets.OpenSegmentation(manifest, _root, "val").Count));
        Assert.Contains("train, val", Assert.Throws<ArgumentException>(() => ManifestDatasets.OpenSegmentation(manifest, _root, "test")).Message);
        var cifar = ManifestReader.Read(Path.Combine(RepositoryRoot.Path, "data-manifests", "cifar-10.json"));
        Assert.Contains("no per-pixel labels", Assert.Throws<ArgumentException>(() => ManifestDatasets.OpenSegmentation(cifar, _root, "train")).Message);
    }

    [Fact]
    public void ACorruptMapIsAClearErrorNamingItsFileAlsoThroughTheLoader()
    {
        Write("training", "good", Map);
        Write("training", "bad", Map, annotation: new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0, 1, 2, 3 });
        var data = new Ade20kDataset(_root, Ade20kSplit.Training);
        var bad = Path.Combine(_root, "annotations", "training", "bad.png");
        Assert.Equal(bad, Assert.Throws<ImageDecodeException>(() => data.Get(0)).SourceName);

        var pipeline = new SegmentationCompose(new SegmentationRandomCrop(2, 2, 1.0), new SegmentationPad(2, 2));
        var loader = new DataLoader(data, pipeline, new DataLoaderOptions { BatchSize = 2, Shuffle = false, Workers = 1 });
        var e = Assert.Throws<ImageDecodeException>(() => loader.Epoch(0).First());
        Assert.Contains("bad.png", e.Message);

        var skipping = new DataLoader(data, pipeline, new DataLoaderOptions { BatchSize = 2, Shuffle = false, Workers = 1, CorruptImages = CorruptImagePolicy.Skip });
        using var batch = skipping.Epoch(0).Single();
        Assert.Equal(new long[] { 1, 2, 2 }, batch.Segmentation!.shape);
        Assert.Equal(bad, Assert.Single(skipping.Skipped).Source);
    }

    [Fact]
    public void MapsThatAreNotClassMapsOrDoNotFitTheirImageAreRefusedNamingTheFile()
    {
        Write("training", "colour", Map, annotation: EncodedImages.Png(EncodedImages.Pattern(3, 4), 3, 4));
        Write("validation", "high", Map.Select(v => v == 150 ? (byte)151 : v).ToArray());
        var colour = Path.Combine(_root, "annotations", "training", "colour.png");
        var e = Assert.Throws<ImageDecodeException>(() => new Ade20kDataset(_root, Ade20kSplit.Training).Get(0));
        Assert.Equal(colour, e.SourceName);
        Assert.Contains("colour image", e.Message);
        e = Assert.Throws<ImageDecodeException>(() => new Ade20kDataset(_root, Ade20kSplit.Validation).Get(0));
        Assert.Contains("151", e.Message);
        Assert.EndsWith("high.png", e.SourceName);

        Write("training", "colour", Map, height: 3, width: 5, annotation: EncodedImages.GrayPng(Map, 3, 4));
        e = Assert.Throws<ImageDecodeException>(() => new Ade20kDataset(_root, Ade20kSplit.Training).Get(0));
        Assert.Contains("4×3 pixels but its image colour.jpg is 5×3", e.Message);

        File.Delete(colour);
        var missing = Assert.Throws<InvalidDataException>(() => new Ade20kDataset(_root, Ade20kSplit.Training));
        Assert.Contains(colour, missing.Message);
        Assert.Contains("images/training", Assert.Throws<DirectoryNotFoundException>(() => new Ade20kDataset(Path.Combine(_root, "nowhere"), Ade20kSplit.Training)).Message);
    }
}
