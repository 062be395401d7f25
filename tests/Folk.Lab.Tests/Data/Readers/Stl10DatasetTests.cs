using Folk.Lab.Data.Readers;

namespace Folk.Lab.Tests.Data.Readers;

/// <summary>Fake STL-10 files: 3×96×96 bytes per image, column-major (each channel column by column), labels 1…10.</summary>
public sealed class Stl10DatasetTests : IDisposable
{
    const int Side = 96, Image = 3 * Side * Side;
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-stl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Pixel (channel, row, column) of image <paramref name="id"/>; a bright marker at row 0, column 90 only.</summary>
    static byte Pixel(int id, int c, int y, int x) => y == 0 && x == 90 ? (byte)255 : (byte)((id * 17 + c * 60 + y + 2 * x) % 200);

    static byte[] ColumnMajor(int id)
    {
        var bytes = new byte[Image];
        for (int c = 0; c < 3; c++)
            for (int x = 0; x < Side; x++)                    // columns outer, rows inner: MATLAB's order
                for (int y = 0; y < Side; y++)
                    bytes[c * Side * Side + x * Side + y] = Pixel(id, c, y, x);
        return bytes;
    }

    string Make(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train_X.bin"), new[] { 0, 1, 2 }.SelectMany(ColumnMajor).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "train_y.bin"), new byte[] { 1, 10, 5 });
        File.WriteAllBytes(Path.Combine(folder, "test_X.bin"), new[] { 10, 11 }.SelectMany(ColumnMajor).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "test_y.bin"), new byte[] { 2, 3 });
        File.WriteAllBytes(Path.Combine(folder, "unlabeled_X.bin"), new[] { 20, 21 }.SelectMany(ColumnMajor).ToArray());
        return folder;
    }

    static void AssertImage(int id, torch.Tensor image)
    {
        Assert.Equal(new long[] { 3, Side, Side }, image.shape);
        Assert.Equal(1f, image[0, 0, 90].item<float>());             // the marker is at row 0, column 90 …
        Assert.NotEqual(1f, image[0, 90, 0].item<float>());          // … not at its transpose
        foreach (var (c, y, x) in new[] { (0, 5, 60), (1, 60, 5), (2, 95, 0), (2, 0, 95), (1, 47, 48) })
            Assert.Equal(Pixel(id, c, y, x) / 255f, image[c, y, x].item<float>());
    }

    [Fact]
    public void ImagesAreTransposedFromColumnMajorAndLabelsShiftedToZero()
    {
        Make(Path.Combine(_dir, "stl10_binary"));
        File.WriteAllLines(Path.Combine(_dir, "stl10_binary", "class_names.txt"), new[] { "airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck" });
        var train = new Stl10Dataset(_dir, Stl10Split.Train);
        Assert.Equal(3, train.Count);
        Assert.Equal("truck", train.Classes[9]);
        var labels = new[] { 0, 9, 4 };
        for (int i = 0; i < 3; i++)
        {
            using var s = train.Get(i);
            Assert.Equal(labels[i], s.Label);
            AssertImage(i, s.Image);
        }
        using (var s = new Stl10Dataset(_dir, Stl10Split.Test).Get(1)) { Assert.Equal(2, s.Label); AssertImage(11, s.Image); Assert.Equal("stl10:test_X.bin#1", s.Source); }
    }

    [Fact]
    public void UnlabeledImagesCarryMinusOneAndFollowTrainInTheCombinedSplit()
    {
        var root = Make(Path.Combine(_dir, "s"));
        var unlabeled = new Stl10Dataset(root, Stl10Split.Unlabeled);
        Assert.Equal(2, unlabeled.Count);
        Assert.Empty(unlabeled.Classes);
        using (var s = unlabeled.Get(1)) { Assert.Equal(-1, s.Label); AssertImage(21, s.Image); }

        var both = new Stl10Dataset(root, Stl10Split.TrainAndUnlabeled);
        Assert.Equal(5, both.Count);
        Assert.Equal(new[] { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }, both.Classes);   // no class_names.txt
        var got = Enumerable.Range(0, 5).Select(i => { using var s = both.Get(i); return (s.Label, s.Source); }).ToArray();
        Assert.Equal(new[] { 0, 9, 4, -1, -1 }, got.Select(g => g.Label));
        Assert.Equal("stl10:unlabeled_X.bin#0", got[3].Source);

        var parallel = new int[both.Count];
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k => { using var s = both.Get(k % 5); parallel[k % 5] = (int)(s.Image.sum().item<float>()); });
        Assert.Equal(Enumerable.Range(0, 5).Select(i => { using var s = both.Get(i); return (int)s.Image.sum().item<float>(); }), parallel);
    }

    [Fact]
    public void WrongSizesAndLabelsGiveClearErrors()
    {
        var root = Make(Path.Combine(_dir, "bad"));
        File.WriteAllBytes(Path.Combine(root, "train_y.bin"), new byte[] { 1, 2 });
        var e = Assert.Throws<InvalidDataException>(() => new Stl10Dataset(root, Stl10Split.Train));
        Assert.Contains("train_y.bin: holds 2 labels", e.Message);
        Assert.Contains("holds 3 images", e.Message);

        File.WriteAllBytes(Path.Combine(root, "train_y.bin"), new byte[] { 1, 11, 2 });
        Assert.Contains("byte 1 is 11; STL-10 labels are 1…10", Assert.Throws<InvalidDataException>(() => new Stl10Dataset(root, Stl10Split.Train)).Message);

        File.WriteAllBytes(Path.Combine(root, "test_X.bin"), new byte[Image + 100]);
        var size = Assert.Throws<InvalidDataException>(() => new Stl10Dataset(root, Stl10Split.Test));
        Assert.Contains("test_X.bin: 27,748 bytes is not a whole number of 27,648 bytes records", size.Message);

        File.Delete(Path.Combine(root, "test_y.bin"));
        File.WriteAllBytes(Path.Combine(root, "test_X.bin"), new byte[Image]);
        Assert.Contains("test_y.bin: no such file", Assert.Throws<FileNotFoundException>(() => new Stl10Dataset(root, Stl10Split.Test)).Message);
    }
}
