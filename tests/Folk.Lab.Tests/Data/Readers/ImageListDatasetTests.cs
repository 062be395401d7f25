using Folk.Lab.Data.Readers;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Data.Readers;

/// <summary>An ImageNet-style tree (train/&lt;wnid&gt;/&lt;wnid&gt;_&lt;id&gt;.ext) and a SimCLR-style list of some of its images.</summary>
public sealed class ImageListDatasetTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-list-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Train => Path.Combine(_dir, "train");

    string Image(string name, int seed, bool jpeg = false)
    {
        var path = Path.Combine(Train, name[..name.IndexOf('_')], name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, jpeg ? EncodedImages.Jpeg(EncodedImages.Smooth(8, 8), 8, 8) : EncodedImages.Png(EncodedImages.Pattern(5, 7, seed), 5, 7));
        return path;
    }

    string List(params string[] lines)
    {
        var path = Path.Combine(_dir, "1percent.txt");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    void MakeTree()
    {
        Image("n01440764_10026.JPEG", 1, jpeg: true);
        Image("n01440764_2.png", 2);
        Image("n01443537_7.png", 3);
        Image("n02085620_1.png", 4);                    // classes the list does not touch still count as classes
        Image("n09999999_1.png", 5);
    }

    [Fact]
    public void LabelsAreTheClassFolderIndicesOfTheWholeTreeInListOrder()
    {
        MakeTree();
        var data = new ImageListDataset(List("n01443537_7.png", "", "  n01440764_10026.JPEG  ", "n01440764_2.png"), Train);
        Assert.Equal(new[] { "n01440764", "n01443537", "n02085620", "n09999999" }, data.Classes);
        Assert.Equal(3, data.Count);
        Assert.Equal(new[] { 1, 0, 0 }, data.Samples.Select(s => s.Label));

        // The same labels as the full ImageFolder reader gives the same files.
        var folder = new ImageFolderDataset(Train);
        var full = folder.Samples.ToDictionary(s => s.Path, s => s.Label);
        Assert.All(data.Samples, s => Assert.Equal(full[s.Path], s.Label));
        Assert.Equal(folder.Classes, data.Classes);

        using var sample = data.Get(0);
        Assert.Equal((1, Path.Combine(Train, "n01443537", "n01443537_7.png")), (sample.Label, sample.Source));
        using var expected = EncodedImages.ToTensor(EncodedImages.Pattern(5, 7, 3), 5, 7);
        TensorAssert.Equal(expected, sample.Image, "decoded n01443537_7.png");
        using (var jpeg = data.Get(1)) Assert.Equal(new long[] { 3, 8, 8 }, jpeg.Image.shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Get(3));
    }

    [Fact]
    public void AMissingListedImageNamesTheListLineAndThePath()
    {
        MakeTree();
        var list = List("n01440764_2.png", "n01443537_404.png", "n01440764_10026.JPEG", "n02085620_405.png");
        var e = Assert.Throws<FileNotFoundException>(() => new ImageListDataset(list, Train));
        var path = Path.Combine(Train, "n01443537", "n01443537_404.png");
        Assert.Equal($"{list} line 2: 'n01443537_404.png' names {path}, which does not exist " +
                     "(1 more listed image is missing; verifying the data set against its manifest lists them all).", e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void BadLinesMissingClassFoldersAndMissingFilesAreClearErrors()
    {
        MakeTree();
        var list = List("n01440764_2.png", "n01440764.png");
        Assert.Equal($"{list} line 2: 'n01440764.png' is not an image name of the form <class>_<id>.<ext> (e.g. n01440764_10026.JPEG).",
            Assert.Throws<InvalidDataException>(() => new ImageListDataset(list, Train)).Message);
        list = List("n07777777_1.png");
        Assert.Equal($"{list} line 1: 'n07777777_1.png' belongs to class folder 'n07777777', which is not in {Train}.",
            Assert.Throws<InvalidDataException>(() => new ImageListDataset(list, Train)).Message);
        list = List("", "");
        Assert.Contains("names no image", Assert.Throws<InvalidDataException>(() => new ImageListDataset(list, Train)).Message);

        Assert.Throws<FileNotFoundException>(() => new ImageListDataset(Path.Combine(_dir, "10percent.txt"), Train));
        Assert.Throws<DirectoryNotFoundException>(() => new ImageListDataset(list, Path.Combine(_dir, "val")));
    }
}
