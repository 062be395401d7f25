using Folk.Lab.Data;
using Folk.Lab.Data.Readers;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Data;

/// <summary>Decoding and reading free their temporaries: once the sample is disposed, no tensor is left alive.</summary>
public sealed class DataLeakTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-leak-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static void AssertNoLeak(string what, Action call)
    {
        call();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) call();
        Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount == before, $"{what}: tensors left alive after 5 calls");
    }

    [Fact]
    public void DecoderAndReadersLeakNoTensors()
    {
        var png = EncodedImages.Png(EncodedImages.Pattern(8, 8), 8, 8);
        Directory.CreateDirectory(Path.Combine(_dir, "folder/a"));
        File.WriteAllBytes(Path.Combine(_dir, "folder/a/x.png"), png);
        File.WriteAllBytes(Path.Combine(_dir, "data_batch_1.bin"), new byte[3073 * 2]);
        for (int b = 2; b <= 5; b++) File.Copy(Path.Combine(_dir, "data_batch_1.bin"), Path.Combine(_dir, $"data_batch_{b}.bin"));
        File.WriteAllBytes(Path.Combine(_dir, "train_X.bin"), new byte[27648]);
        File.WriteAllBytes(Path.Combine(_dir, "train_y.bin"), new byte[] { 3 });
        File.WriteAllBytes(Path.Combine(_dir, "train-images-idx3-ubyte"), Readers.IdxFileTests.Idx(new[] { 1, 28, 28 }, new byte[784]));
        File.WriteAllBytes(Path.Combine(_dir, "train-labels-idx1-ubyte"), Readers.IdxFileTests.Idx(new[] { 1 }, new byte[] { 4 }));
        File.WriteAllText(Path.Combine(_dir, "list.txt"), "a_1.png\n");
        File.WriteAllBytes(Path.Combine(_dir, "folder/a/a_1.png"), png);

        AssertNoLeak("ImageDecoder", () => { using var t = ImageDecoder.Decode(png, "x.png"); });
        var folder = new ImageFolderDataset(Path.Combine(_dir, "folder"));
        AssertNoLeak("ImageFolderDataset", () => { using var s = folder.Get(0); });
        var cifar = new CifarDataset(_dir, CifarVariant.Cifar10, CifarSplit.Train);
        AssertNoLeak("CifarDataset", () => { using var s = cifar.Get(7); });
        var stl = new Stl10Dataset(_dir, Stl10Split.Train);
        AssertNoLeak("Stl10Dataset", () => { using var s = stl.Get(0); });
        var fashion = new FashionMnistDataset(_dir, FashionMnistSplit.Train, padTo: 32);
        AssertNoLeak("FashionMnistDataset", () => { using var s = fashion.Get(0); });
        var list = new ImageListDataset(Path.Combine(_dir, "list.txt"), Path.Combine(_dir, "folder"));
        AssertNoLeak("ImageListDataset", () => { using var s = list.Get(0); });
    }
}
