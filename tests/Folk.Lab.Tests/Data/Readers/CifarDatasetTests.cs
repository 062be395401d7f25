using Folk.Lab.Data;
using Folk.Lab.Data.Readers;

namespace Folk.Lab.Tests.Data.Readers;

/// <summary>Fake CIFAR files in the exact binary layout: label byte(s), then 1024 R, 1024 G, 1024 B, row-major.</summary>
public sealed class CifarDatasetTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-cifar-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Pixel (channel, row, column) of image <paramref name="id"/>: asymmetric in row and column.</summary>
    static byte Pixel(int id, int c, int y, int x) => (byte)((id * 31 + c * 80 + y * 5 + x * 2 + (y == 0 && x == 31 ? 100 : 0)) % 256);

    static byte[] Record(int id, params byte[] labels)
    {
        var r = new byte[labels.Length + 3072];
        labels.CopyTo(r, 0);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    r[labels.Length + c * 1024 + y * 32 + x] = Pixel(id, c, y, x);
        return r;
    }

    string WriteFile(string folder, string name, IEnumerable<byte[]> records)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, records.SelectMany(r => r).ToArray());
        return path;
    }

    /// <summary>CIFAR-10 with 1, 2, 3, 1, 2 records in the five batches (image id = global index) and 3 test records.</summary>
    string MakeCifar10(string folder)
    {
        int id = 0;
        var sizes = new[] { 1, 2, 3, 1, 2 };
        for (int b = 0; b < 5; b++)
            WriteFile(folder, $"data_batch_{b + 1}.bin", Enumerable.Range(0, sizes[b]).Select(_ => Record(id, (byte)(id++ % 10))).ToArray());
        WriteFile(folder, "test_batch.bin", Enumerable.Range(100, 3).Select(i => Record(i, (byte)(9 - i % 10))));
        return folder;
    }

    static void AssertImage(int id, torch.Tensor image)
    {
        Assert.Equal(new long[] { 3, 32, 32 }, image.shape);
        foreach (var (c, y, x) in new[] { (0, 0, 0), (0, 0, 31), (0, 31, 0), (1, 3, 17), (2, 31, 31), (2, 17, 3) })
            Assert.Equal(Pixel(id, c, y, x) / 255f, image[c, y, x].item<float>());
    }

    [Fact]
    public void Cifar10ReadsEveryBatchInOrderWithPixelsTheRightWayRound()
    {
        var root = MakeCifar10(Path.Combine(_dir, "cifar-10-batches-bin"));
        File.WriteAllText(Path.Combine(root, "batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        var train = new CifarDataset(_dir, CifarVariant.Cifar10, CifarSplit.Train);   // the parent folder: finds cifar-10-batches-bin/
        Assert.Equal(9, train.Count);
        Assert.Equal(root, train.Root);
        Assert.Equal("truck", train.Classes[9]);
        for (int i = 0; i < train.Count; i++)
        {
            using var s = train.Get(i);
            Assert.Equal(i % 10, s.Label);
            AssertImage(i, s.Image);
        }
        using (var s = train.Get(5)) Assert.Equal("cifar10:data_batch_3.bin#2", s.Source);

        var test = new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Test);
        Assert.Equal(3, test.Count);
        using var t = test.Get(2);
        Assert.Equal(9 - 102 % 10, t.Label);
        AssertImage(102, t.Image);
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Get(3));
    }

    [Fact]
    public void Cifar100UsesFineLabelsByDefaultAndCoarseOnRequest()
    {
        var root = Path.Combine(_dir, "c100");
        WriteFile(root, "train.bin", new[] { Record(0, 3, 77), Record(1, 19, 99) });
        WriteFile(root, "test.bin", new[] { Record(2, 0, 5) });
        File.WriteAllLines(Path.Combine(root, "fine_label_names.txt"), Enumerable.Range(0, 100).Select(i => $"fine{i}"));

        var fine = new CifarDataset(root, CifarVariant.Cifar100, CifarSplit.Train);
        Assert.Equal(2, fine.Count);
        Assert.Equal(100, fine.Classes.Count);
        Assert.Equal("fine99", fine.Classes[99]);
        using (var s = fine.Get(1)) { Assert.Equal(99, s.Label); AssertImage(1, s.Image); }

        var coarse = new CifarDataset(root, CifarVariant.Cifar100, CifarSplit.Train, CifarLabels.Coarse);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString()), coarse.Classes);      // no coarse_label_names.txt
        using (var s = coarse.Get(1)) Assert.Equal(19, s.Label);
        using (var s = new CifarDataset(root, CifarVariant.Cifar100, CifarSplit.Test).Get(0)) { Assert.Equal(5, s.Label); AssertImage(2, s.Image); }
        Assert.Throws<ArgumentException>(() => new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Test, CifarLabels.Coarse));
    }

    [Fact]
    public void RecordsAreReadLazilyAndFromManyThreads()
    {
        var root = MakeCifar10(Path.Combine(_dir, "lazy"));
        var data = new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Train);
        var expected = Enumerable.Range(0, data.Count).Select(i => { using var s = data.Get(i); return s.Image.sum().item<float>(); }).ToArray();
        var parallel = new float[data.Count];
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            int i = k % data.Count;
            using var s = data.Get(i);
            parallel[i] = s.Image.sum().item<float>();
        });
        Assert.Equal(expected, parallel);

        // Rewrite a batch after construction: the reader sees the new bytes, so it holds no copy of them.
        WriteFile(root, "data_batch_5.bin", new[] { Record(50, 4), Record(51, 6) });
        using var after = data.Get(8);
        Assert.Equal(6, after.Label);
        AssertImage(51, after.Image);
    }

    [Fact]
    public void WrongSizesMissingFilesAndBadLabelsGiveClearErrors()
    {
        var root = MakeCifar10(Path.Combine(_dir, "bad"));
        var batch = Path.Combine(root, "data_batch_2.bin");
        File.WriteAllBytes(batch, new byte[3073 * 2 + 5]);
        var e = Assert.Throws<InvalidDataException>(() => new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Train));
        Assert.Contains(batch, e.Message);
        Assert.Contains("6,151 bytes is not a whole number of 3,073 bytes records", e.Message);

        File.Delete(batch);
        Assert.Contains("data_batch_2.bin", Assert.Throws<FileNotFoundException>(() => new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Train)).Message);
        Assert.Contains("test_batch.bin", Assert.Throws<FileNotFoundException>(() => new CifarDataset(_dir, CifarVariant.Cifar10, CifarSplit.Test)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => new CifarDataset(Path.Combine(_dir, "nowhere"), CifarVariant.Cifar10, CifarSplit.Test));

        WriteFile(root, "test_batch.bin", new[] { Record(0, 12) });
        var test = new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Test);
        var bad = Assert.Throws<ImageDecodeException>(() => test.Get(0));
        Assert.Equal("cifar10:test_batch.bin#0", bad.SourceName);
        Assert.Contains("label byte 12 is outside 0..9", bad.Message);

        File.WriteAllText(Path.Combine(root, "batches.meta.txt"), "cat\ndog\n");
        Assert.Contains("holds 2 class names, 10 expected", Assert.Throws<InvalidDataException>(() => new CifarDataset(root, CifarVariant.Cifar10, CifarSplit.Test)).Message);
    }
}
