using Folk.Lab.Data.Readers;
using Folk.Lab.Evaluation;
using Folk.Lab.Evaluation.Finetuning;
using Folk.Lab.Tests.Data;

namespace Folk.Lab.Tests.Evaluation;

/// <summary>A SimCLR-style label subset (a manifest naming a list of the training tree's images) in place of the training split.</summary>
public sealed class LabelSubsetTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-subset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Train => Path.Combine(_dir, "train");

    void Image(string name, int seed)
    {
        var path = Path.Combine(Train, name[..name.IndexOf('_')], name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, EncodedImages.Png(EncodedImages.Pattern(5, 7, seed), 5, 7));
    }

    string Manifest(string name, int entries, bool withList = true)
    {
        var list = withList ? $$""", "list": { "file": "half.txt", "entries": {{entries}}, "images_under": "train" }""" : "";
        var path = Path.Combine(_dir, $"{name}.json");
        File.WriteAllText(path, $$"""
            { "name": "{{name}}", "description": "half of the toy tree's labels", "source": "a test", "layout": "image-list", "classes": 2,
              "splits": [ { "name": "train-half", "path": "", "exclusive": false, "files": [ { "path": "half.txt", "bytes": null, "sha256": null } ]{{list}} } ] }
            """);
        return path;
    }

    [Fact]
    public void TheListReplacesTheTrainingSplitWithTheFullTreesLabelsAndItsShareNamesTheSetting()
    {
        foreach (var (name, seed) in new[] { ("n01_1.png", 1), ("n01_2.png", 2), ("n02_1.png", 3), ("n02_2.png", 4) }) Image(name, seed);
        File.WriteAllText(Path.Combine(_dir, "half.txt"), "n02_2.png\nn01_1.png\n");
        var full = new LabelledData(new ImageFolderDataset(Train), new ImageFolderDataset(Train), "toy", 2);

        var half = LabelledDataSource.WithLabelSubset(full, Manifest("toy-half", 2), _dir);
        Assert.Equal(2, half.Train.Count);
        Assert.Equal(new[] { 1, 0 }, Enumerable.Range(0, 2).Select(half.Train.LabelOf));     // n02 is class 1 of the whole tree, in list order
        Assert.Equal(0.5, half.TrainShare);
        Assert.Same(full.Test, half.Test);
        Assert.Equal("fine-tune 50 %", Finetune.Setting(Finetune.LabelledShare(null, half)));
        Assert.Equal("fine-tune 25 %", Finetune.Setting(Finetune.LabelledShare(0.5, half)));   // a fraction of the subset is a fraction of the labels
        Assert.Equal("fine-tune", Finetune.Setting(Finetune.LabelledShare(null, full)));

        Assert.Throws<InvalidDataException>(() => LabelledDataSource.WithLabelSubset(full, Manifest("toy-wrong", 3), _dir));          // the list's length is checked
        Assert.Throws<ArgumentException>(() => LabelledDataSource.WithLabelSubset(full, Manifest("toy-nolist", 2, withList: false), _dir));
        Assert.Throws<FileNotFoundException>(() => LabelledDataSource.WithLabelSubset(full, Path.Combine(_dir, "missing.json"), _dir));
    }
}
