using Folk.Lab.Data.Manifests;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Data.Manifests;

public class ManifestReaderTests
{
    static DatasetManifest Shipped(string name) => ManifestReader.Read(Path.Combine(RepositoryRoot.Path, "data-manifests", name + ".json"));

    static long Bytes(DatasetManifest m, string file) => m.Splits.SelectMany(s => s.Files).Single(f => f.Path == file).Bytes!.Value;

    [Fact]
    public void TheRobustnessTestSetsNameTheirImageNetClasses()
    {
        var a = Shipped("imagenet-a");
        var r = Shipped("imagenet-r");
        var sketch = Shipped("imagenet-sketch");
        Assert.Equal((200, 7_500L, 200), (a.Classes!.Value, a.Splits.Single().Images!.Value, a.LabelSpace!.Indices.Count));
        Assert.Equal((200, 30_000L, 200), (r.Classes!.Value, r.Splits.Single().Images!.Value, r.LabelSpace!.Indices.Count));
        Assert.Equal((1000, 50_889L), (sketch.Classes!.Value, sketch.Splits.Single().Images!.Value));
        Assert.Null(sketch.LabelSpace);                                                // Sketch has ImageNet's own 1,000 classes
        foreach (var space in new[] { a.LabelSpace, r.LabelSpace })
        {
            Assert.Equal(("imagenet-1k", 1000), (space.Of, space.OfClasses));
            Assert.True(space.Indices.Zip(space.Indices.Skip(1)).All(p => p.First < p.Second));
        }
        // Known members: ImageNet-R has goldfish (1) and great white shark (2) but not tench (0); ImageNet-A starts at
        // stingray (6) and ends at acorn (988) per natural-adv-examples' thousand_k_to_200.
        Assert.Equal([1, 2], r.LabelSpace!.Indices.Take(2));
        Assert.DoesNotContain(0, r.LabelSpace.Indices);
        Assert.Equal((6, 988), (a.LabelSpace!.Indices[0], a.LabelSpace.Indices[^1]));
    }

    [Theory]
    [InlineData("[0, 0]", "must increase strictly")]
    [InlineData("[0, 5]", "within [0, 5)")]
    [InlineData("[1]", "one index per class (2)")]
    [InlineData("[1, -2]", "non-negative integers")]
    public void ABadLabelSpaceIsRefusedNamingTheField(string indices, string message)
    {
        var json = Valid.Replace("\"classes\": 2,", $"\"classes\": 2, \"label_space\": {{ \"of\": \"big\", \"of_classes\": 5, \"indices\": {indices} }},");
        var e = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse(json, "toy.json"));
        Assert.Contains("label_space.indices", e.Message);
        Assert.Contains(message, e.Message);
        var ok = ManifestReader.Parse(Valid.Replace("\"classes\": 2,", "\"classes\": 2, \"label_space\": { \"of\": \"big\", \"of_classes\": 5, \"indices\": [1, 4] },"), "toy.json");
        Assert.Equal([1, 4], ok.LabelSpace!.Indices);
    }

    [Fact]
    public void ShippedManifestsParseAndHoldTheExactFormatSizes()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "data-manifests"), "*.json").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Subset(files.ToHashSet(), new HashSet<string?> { "ade20k", "cifar-10", "cifar-100", "fashion-mnist", "imagenet-1k", "imagenet-1k-10pct", "imagenet-1k-1pct", "imagenet-a", "imagenet-r", "imagenet-sketch", "stl-10" });
        foreach (var name in files)
        {
            var m = Shipped(name!);
            Assert.Equal(name, m.Name);
            // No checksum is invented: none is published per file for these data sets. Fashion-MNIST's are measured
            // on the files of Debian's package, its default_root.
            if (name != "fashion-mnist") Assert.All(m.Splits.SelectMany(s => s.Files), f => Assert.Null(f.Sha256));
            if (name != "fashion-mnist") Assert.Null(m.DefaultRoot);
        }

        var cifar10 = Shipped("cifar-10");
        Assert.Equal(ManifestLayout.Cifar10Binary, cifar10.Layout);
        foreach (var f in new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin" })
            Assert.Equal(10_000L * (1 + 3 * 32 * 32), Bytes(cifar10, f));
        var cifar100 = Shipped("cifar-100");
        Assert.Equal((50_000L * 3074, 10_000L * 3074), (Bytes(cifar100, "train.bin"), Bytes(cifar100, "test.bin")));
        Assert.Equal(100, cifar100.Classes);
        var stl = Shipped("stl-10");
        Assert.Equal(new[] { 5_000L * 27_648, 5_000, 8_000L * 27_648, 8_000, 100_000L * 27_648 },
            new[] { "train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin", "unlabeled_X.bin" }.Select(f => Bytes(stl, f)));

        var imagenet = Shipped("imagenet-1k");
        Assert.Equal((ManifestLayout.ImageFolder, 1000), (imagenet.Layout, imagenet.Classes!.Value));
        Assert.Equal(new[] { ("train", 1_281_167L, 1000), ("val", 50_000L, 1000) }, imagenet.Splits.Select(s => (s.Path, s.Images!.Value, s.ClassFolders!.Value)));
        Assert.Equal(12_811, Shipped("imagenet-1k-1pct").Splits.Single().List!.Entries);
        Assert.Equal(128_116, Shipped("imagenet-1k-10pct").Splits.Single().List!.Entries);
        var fashion = Shipped("fashion-mnist");
        Assert.Equal((ManifestLayout.FashionMnistIdx, 10, "/usr/share/datasets/fashion-mnist/"), (fashion.Layout, fashion.Classes!.Value, fashion.DefaultRoot));
        Assert.Equal(new[] { ("train", 60_000L), ("test", 10_000L) }, fashion.Splits.Select(s => (s.Name, s.Images!.Value)));
        // Debian's files: the originals (26,421,880, 29,515, 4,422,102 and 5,148 bytes) less the file name in the gzip header.
        Assert.Equal(new[] { 26_421_880L - 24, 29_515 - 24, 4_422_102 - 23, 5_148 - 23 },
            new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" }.Select(f => Bytes(fashion, f)));
        Assert.All(fashion.Splits.SelectMany(s => s.Files), f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256!));
        var ade = Shipped("ade20k");
        Assert.Equal(150, ade.Classes);
        Assert.Equal(new[] { 20_210L, 2_000, 20_210, 2_000 }, ade.Splits.Where(s => s.Images is not null).Select(s => s.Images!.Value));
    }

    const string Valid = """
        { "name": "toy", "description": "d", "source": "s", "layout": "image-folder", "classes": 2,
          "splits": [ { "name": "train", "path": "train", "images": 4, "class_folders": 2,
                        "files": [ { "path": "a.bin", "bytes": 10, "sha256": null } ] } ] }
        """;

    [Fact]
    public void AValidManifestReadsIntoRecords()
    {
        var m = ManifestReader.Parse(Valid, "toy.json");
        Assert.Equal("toy", m.Name);
        var split = Assert.Single(m.Splits);
        Assert.Equal(("train", "train", 4L, 2, true), (split.Name, split.Path, split.Images!.Value, split.ClassFolders!.Value, split.Exclusive));
        Assert.Equal(new ManifestFile("a.bin", 10, null, false), Assert.Single(split.Files));
        Assert.Empty(m.Notes);
        Assert.Null(m.DefaultRoot);
        Assert.Equal("/srv/toy", ManifestReader.Parse(Valid.Replace("\"classes\": 2,", "\"classes\": 2, \"default_root\": \"/srv/toy\","), "toy.json").DefaultRoot);
    }

    [Theory]
    [InlineData("{ \"name\": ", "toy.json: not valid JSON (line 1")]
    [InlineData("[1, 2]", "toy.json: the top level must be a JSON object; got an array.")]
    [InlineData("\"name\": \"toy\",|", "toy.json: field 'name' is missing.")]
    [InlineData("\"bytes\": 10|\"bytes\": \"abc\"", "toy.json: field 'splits[0].files[0].bytes' must be an integer >= 0 or null; got \"abc\".")]
    [InlineData("\"bytes\": 10|\"bytes\": -3", "field 'splits[0].files[0].bytes' must be an integer >= 0 or null; got -3.")]
    [InlineData("\"sha256\": null|\"sha265\": null", "field 'splits[0].files[0].sha265' is not a known field here; known: path, bytes, sha256, optional.")]
    [InlineData("\"sha256\": null|\"sha256\": \"abc\"", "field 'splits[0].files[0].sha256' \"abc\" is not a SHA-256 (64 hex digits)")]
    [InlineData("\"image-folder\"|\"imagefolder\"", "field 'layout' 'imagefolder' is not a known layout; use one of: image-folder, image-list")]
    [InlineData("\"path\": \"train\"|\"path\": \"../train\"", "field 'splits[0].path' \"../train\" must be a relative '/'-separated path without '..'.")]
    [InlineData("\"classes\": 2|\"classes\": 2.5", "field 'classes' must be an integer >= 1 or null; got 2.5.")]
    [InlineData("\"images\": 4, \"class_folders\": 2,|", "toy.json: splits[0] must give 'files', 'images' or 'list' (something to check).")]
    [InlineData("\"classes\": 2|\"classes\": 2, \"default_root\": \"data/toy\"", "field 'default_root' \"data/toy\" must be an absolute path (it is used when no root is given).")]
    [InlineData("\"classes\": 2|\"classes\": 2, \"default_root\": 7", "field 'default_root' must be a string; got 7.")]
    public void MalformedManifestsGiveOneLineNamingFileAndField(string edit, string message)
    {
        string json = edit.Contains('|') ? Valid.Replace(edit.Split('|')[0], edit.Split('|')[1]) : edit;
        if (message.Contains("something to check")) json = json.Replace("\"files\": [ { \"path\": \"a.bin\", \"bytes\": 10, \"sha256\": null } ]", "\"files\": []");
        var e = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse(json, "toy.json"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("toy.json: ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
