using Folk.Lab.Data.Manifests;
using Folk.Lab.Data.Readers;

namespace Folk.Lab.Tests.Data.Manifests;

public sealed class ManifestDatasetsTests : IDisposable
{
    readonly FakeDataset _data = new();

    public void Dispose() => _data.Dispose();

    static DatasetManifest Manifest(string layout, string splits, string? defaultRoot = null) => ManifestReader.Parse($$"""
        { "name": "toy", "description": "d", "source": "s", "layout": "{{layout}}", "classes": 2,
          {{(defaultRoot is null ? "" : $"\"default_root\": \"{defaultRoot}\",")}} "splits": [ {{splits}} ] }
        """, "toy.json");

    const string ListSplit = """{ "name": "subset", "path": "meta", "list": { "file": "list.txt", "entries": 2, "images_under": "train" } }""";

    [Fact]
    public void AnImageListSplitOpensWithTheFullTreesLabels()
    {
        var data = Assert.IsType<ImageListDataset>(ManifestDatasets.Open(Manifest("image-list", ListSplit), _data.Root, "subset"));
        Assert.Equal(new[] { "cat", "dog" }, data.Classes);
        Assert.Equal(new[] { (_data.P("train/cat/cat_2.png"), 0), (_data.P("train/dog/dog_1.png"), 1) }, data.Samples);

        File.AppendAllText(_data.P("meta/list.txt"), "cat_1.png\n");
        var e = Assert.Throws<InvalidDataException>(() => ManifestDatasets.Open(Manifest("image-list", ListSplit), _data.Root, "subset"));
        Assert.Equal($"{_data.P("meta/list.txt")}: names 3 images, but toy lists 2 for split 'subset'.", e.Message);
        Assert.Contains("has no split 'train'; it has: subset",
            Assert.Throws<ArgumentException>(() => ManifestDatasets.Open(Manifest("image-list", ListSplit), _data.Root)).Message);
    }

    [Fact]
    public void TheDefaultRootIsUsedWhenNoRootIsGiven()
    {
        var split = """{ "name": "train", "path": "train", "images": 4 }""";
        Assert.Equal(4, ManifestDatasets.Open(Manifest("image-folder", split, _data.Root), null).Count);
        Assert.Contains("no root given and the manifest has no default_root",
            Assert.Throws<ArgumentException>(() => ManifestDatasets.Open(Manifest("image-folder", split), null)).Message);
        var absent = _data.P("absent");
        Assert.Equal($"{absent}: no such folder (the local copy of toy, its manifest's default_root).",
            Assert.Throws<DirectoryNotFoundException>(() => ManifestDatasets.Open(Manifest("image-folder", split, absent), null)).Message);
    }

    [Fact]
    public void BinaryFormatsTakeTheirReadersSplitNames()
    {
        // One CIFAR-10 record per batch file: the manifest groups all six files under one split, "train+test".
        var root = _data.P("cifar");
        Directory.CreateDirectory(root);
        foreach (var name in Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").Append("test_batch.bin"))
            File.WriteAllBytes(Path.Combine(root, name), new byte[1 + 3072]);
        var cifar = Manifest("cifar-10-binary", """{ "name": "train+test", "path": "", "images": 6 }""");
        Assert.Equal((5, CifarSplit.Train), Split(ManifestDatasets.Open(cifar, root, "train")));
        Assert.Equal((1, CifarSplit.Test), Split(ManifestDatasets.Open(cifar, root, "test")));
        Assert.Equal("toy has no split 'val'; its reader has: train, test. (Parameter 'split')",
            Assert.Throws<ArgumentException>(() => ManifestDatasets.Open(cifar, root, "val")).Message);

        static (int, CifarSplit) Split(object data) => data is CifarDataset c ? (c.Count, c.Split) : throw new Xunit.Sdk.XunitException($"got {data}");
    }
}
