using Folk.Lab.Data;
using Folk.Lab.Data.Readers;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Data.Readers;

public sealed class ImageFolderDatasetTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Png(string relative, int seed, int h = 4, int w = 6)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, EncodedImages.Png(EncodedImages.Pattern(h, w, seed), h, w));
        return path;
    }

    [Fact]
    public void ClassesAndFilesAreSortedOrdinallyAsTorchvisionDoes()
    {
        // Python's sorted() is code-point order: upper case before lower case, "sub/" after the files beside it.
        var b = Png("root/cat/b.png", 1);
        var a = Png("root/cat/A.PNG", 2);
        var nested = Png("root/cat/sub/0.webp", 3);
        var dog = Png("root/Dog/z.jpeg", 4);
        File.WriteAllText(Path.Combine(_dir, "root/cat/notes.txt"), "skipped");
        File.WriteAllBytes(Path.Combine(_dir, "root/Dog/y.jpg"), EncodedImages.Jpeg(EncodedImages.Smooth(8, 8), 8, 8));

        var data = new ImageFolderDataset(Path.Combine(_dir, "root"));
        Assert.Equal(new[] { "Dog", "cat" }, data.Classes);
        Assert.Equal(new[] { (Path.Combine(_dir, "root/Dog/y.jpg"), 0), (dog, 0), (a, 1), (b, 1), (nested, 1) }, data.Samples);
        Assert.Equal(5, data.Count);

        using var s = data.Get(3);
        Assert.Equal(1, s.Label);
        Assert.Equal(b, s.Source);
        using var expected = EncodedImages.ToTensor(EncodedImages.Pattern(4, 6, 1), 4, 6);
        TensorAssert.Equal(expected, s.Image, "decoded b.png");
    }

    [Fact]
    public void MissingOrEmptyRootsAndEmptyClassesAreClearErrors()
    {
        var missing = Path.Combine(_dir, "absent");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => new ImageFolderDataset(missing)).Message);

        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        Assert.Contains("no class folders", Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(Path.Combine(_dir, "empty"))).Message);

        Png("r/a/x.png", 0);
        Directory.CreateDirectory(Path.Combine(_dir, "r/b"));
        File.WriteAllText(Path.Combine(_dir, "r/b/readme.txt"), "no image here");
        var e = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(Path.Combine(_dir, "r")));
        Assert.Contains("class folder 'b' holds no image", e.Message);
    }

    [Fact]
    public void ACorruptImageThrowsWhenReadNamingItsFile()
    {
        Png("c/a/good.png", 0);
        var bad = Path.Combine(_dir, "c/a/bad.png");
        File.WriteAllBytes(bad, new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3 });
        var data = new ImageFolderDataset(Path.Combine(_dir, "c"));
        Assert.Equal(bad, Assert.Throws<ImageDecodeException>(() => data.Get(0)).SourceName);
        using var good = data.Get(1);
        Assert.Equal(new long[] { 3, 4, 6 }, good.Image.shape);

        var results = new long[40];
        Parallel.For(0, 40, i => { using var s = data.Get(1); results[i] = s.Image.shape[2]; });
        Assert.All(results, r => Assert.Equal(6, r));
    }
}
