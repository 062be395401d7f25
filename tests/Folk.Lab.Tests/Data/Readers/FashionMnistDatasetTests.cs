using System.Diagnostics;
using Folk.Lab.Data;
using Folk.Lab.Data.Readers;
using Folk.Lab.Data.Transforms;
using Folk.Lab.Tests.Support;
using Xunit.Abstractions;

namespace Folk.Lab.Tests.Data.Readers;

/// <summary>
/// Small fake Fashion-MNIST files in the exact IDX layout, and the real files of Debian's dataset-fashion-mnist.
/// The real values below were read independently with Python: gzip + numpy.frombuffer(offset = 16 or 8).
/// </summary>
public sealed class FashionMnistDatasetTests(ITestOutputHelper output) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-fmnist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Pixel (row, column) of fake image <paramref name="id"/>: asymmetric, never 0 (so padding shows).</summary>
    static byte Pixel(int id, int y, int x) => (byte)(1 + (id * 37 + y * 9 + x * 2 + (y == 0 && x == 27 ? 50 : 0)) % 255);

    /// <summary>Writes train or t10k files with the given labels (one image per label), gzip-compressed or plain.</summary>
    string Make(string stem, byte[] labels, bool gzip = true, int side = 28, int? images = null)
    {
        int n = images ?? labels.Length;
        var pixels = new byte[n * side * side];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    pixels[(i * side + y) * side + x] = Pixel(i, y, x);
        byte[] Pack(byte[] b) => gzip ? IdxFileTests.Gzip(b) : b;
        string suffix = gzip ? ".gz" : "";
        File.WriteAllBytes(Path.Combine(_dir, $"{stem}-images-idx3-ubyte{suffix}"), Pack(IdxFileTests.Idx(new[] { n, side, side }, pixels)));
        File.WriteAllBytes(Path.Combine(_dir, $"{stem}-labels-idx1-ubyte{suffix}"), Pack(IdxFileTests.Idx(new[] { labels.Length }, labels)));
        return _dir;
    }

    [Fact]
    public void FakeFilesReadWithLabelsClassNamesAndPixelsInPlace()
    {
        Make("train", new byte[] { 9, 0, 3 });
        Make("t10k", new byte[] { 5, 8 }, gzip: false);                       // torchvision's extracted raw files
        var train = new FashionMnistDataset(_dir, FashionMnistSplit.Train);
        Assert.Equal((3, 28, GreyChannels.Repeat3), (train.Count, train.ImageSize, train.Channels));
        Assert.Equal(new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" }, train.Classes);
        Assert.Equal(new byte[] { 9, 0, 3 }, train.Labels.ToArray());
        for (int i = 0; i < 3; i++)
        {
            using var s = train.Get(i);
            Assert.Equal(new long[] { 3, 28, 28 }, s.Image.shape);
            Assert.Equal(torch.ScalarType.Float32, s.Image.dtype);
            Assert.Equal(train.Labels.Span[i], s.Label);
            foreach (var (y, x) in new[] { (0, 0), (0, 27), (27, 0), (13, 5), (27, 27) })
                for (int c = 0; c < 3; c++)
                    Assert.Equal(Pixel(i, y, x) / 255f, s.Image[c, y, x].item<float>());
        }
        using (var s = train.Get(2)) Assert.Equal("fashion-mnist:train-images-idx3-ubyte.gz#2", s.Source);

        var test = new FashionMnistDataset(_dir, FashionMnistSplit.Test, GreyChannels.Single);
        Assert.EndsWith("t10k-labels-idx1-ubyte", test.LabelsFile);
        using var one = test.Get(1);
        Assert.Equal(new long[] { 1, 28, 28 }, one.Image.shape);
        Assert.Equal((8, Pixel(1, 13, 5) / 255f), (one.Label, one.Image[0, 13, 5].item<float>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Get(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Get(-1));
    }

    [Theory]
    [InlineData(32, 2)]                                                     // 2 pixels each side: patch 4 → 8×8, ResNet's 32
    [InlineData(31, 1)]                                                     // odd: ⌊3/2⌋ before, the rest after (torchvision CenterCrop)
    [InlineData(28, 0)]
    public void PaddingAddsZerosAroundTheUntouchedImage(int side, int before)
    {
        Make("train", new byte[] { 1, 2 });
        var plain = new FashionMnistDataset(_dir, FashionMnistSplit.Train);
        foreach (var channels in new[] { GreyChannels.Repeat3, GreyChannels.Single })
        {
            var padded = new FashionMnistDataset(_dir, FashionMnistSplit.Train, channels, padTo: side);
            Assert.Equal((side, side), (padded.PadTo!.Value, padded.ImageSize));
            using var p = padded.Get(1);
            using var s = plain.Get(1);
            long c = channels == GreyChannels.Repeat3 ? 3 : 1;
            Assert.Equal(new[] { c, side, side }, p.Image.shape);
            using var inner = p.Image[.., before..(before + 28), before..(before + 28)];
            using var original = s.Image[..(int)c];
            TensorAssert.Equal(original, inner, "the image inside the padding");
            Assert.Equal(original.sum().item<float>(), p.Image.sum().item<float>(), 3);   // so the padding is all zeros
            if (side > 28) Assert.Equal(0f, p.Image[0, side - 1, side - 1].item<float>());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Train, padTo: 27));
    }

    [Fact]
    public void GetIsCheapAndSafeFromManyThreads()
    {
        Make("train", Enumerable.Range(0, 40).Select(i => (byte)(i % 10)).ToArray());
        var data = new FashionMnistDataset(_dir, FashionMnistSplit.Train, padTo: 32);
        var expected = Enumerable.Range(0, data.Count).Select(i => { using var s = data.Get(i); return s.Image.sum().item<float>(); }).ToArray();
        var parallel = new float[data.Count];
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            using var s = data.Get(k % data.Count);
            parallel[k % data.Count] = s.Image.sum().item<float>();
        });
        Assert.Equal(expected, parallel);
    }

    [Fact]
    public void OneChannelFlowsThroughTheLoaderWithoutTransformsButNotThroughThem()
    {
        Make("train", new byte[] { 1, 2, 3, 4 });
        var single = new FashionMnistDataset(_dir, FashionMnistSplit.Train, GreyChannels.Single, padTo: 32);
        using (var batch = new DataLoader(single, null, new DataLoaderOptions { BatchSize = 4, Shuffle = false }).Epoch(0).First())
            Assert.Equal(new long[] { 4, 1, 32, 32 }, batch.Images.shape);
        using var s = single.Get(0);
        var e = Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(s.Image, new Random(0)));
        Assert.Contains("must be one 3×H×W image; got shape [1×32×32]", e.Message);
    }

    [Fact]
    public void BadFilesGiveErrorsNamingTheFileAndTheFault()
    {
        Make("train", new byte[] { 1, 2 }, images: 3);
        var e = Assert.Throws<InvalidDataException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Train));
        Assert.Equal($"{_dir}/train-labels-idx1-ubyte.gz: holds 2 labels but {_dir}/train-images-idx3-ubyte.gz holds 3 images; the two files must be of the same split.", e.Message);

        Make("train", new byte[] { 1, 10 });
        e = Assert.Throws<InvalidDataException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Train));
        Assert.Equal($"{_dir}/train-labels-idx1-ubyte.gz: label 1 is 10; Fashion-MNIST's labels are 0…9.", e.Message);

        Make("train", new byte[] { 1, 2 }, side: 32);
        e = Assert.Throws<InvalidDataException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Train));
        Assert.Equal($"{_dir}/train-images-idx3-ubyte.gz: holds 32×32 images; Fashion-MNIST's are 28×28.", e.Message);

        Make("train", new byte[] { 1, 2 });
        var images = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        File.Copy(Path.Combine(_dir, "train-labels-idx1-ubyte.gz"), images, overwrite: true);          // files mixed up
        e = Assert.Throws<InvalidDataException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Train));
        Assert.StartsWith($"{images}: magic number 0x00000801 (unsigned bytes, 1 dimension: labels), expected 0x00000803", e.Message);

        var gz = IdxFileTests.Gzip(IdxFileTests.Idx(new[] { 2, 28, 28 }, new byte[2 * 784]));
        File.WriteAllBytes(images, gz[..(gz.Length / 2)]);                                              // truncated download
        e = Assert.Throws<InvalidDataException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Train));
        Assert.StartsWith(images + ": ", e.Message);
        Assert.Contains("truncated", e.Message);

        var f = Assert.Throws<FileNotFoundException>(() => new FashionMnistDataset(_dir, FashionMnistSplit.Test));
        Assert.Equal($"{_dir}: neither t10k-images-idx3-ubyte.gz nor t10k-images-idx3-ubyte is there (Fashion-MNIST's IDX files; on Debian: sudo apt-get install -y dataset-fashion-mnist).", f.Message);
        Assert.Throws<DirectoryNotFoundException>(() => new FashionMnistDataset(Path.Combine(_dir, "absent"), FashionMnistSplit.Train));
    }

    [FashionMnistFact]
    public void DebiansFilesHoldTheKnownCountsBalanceLabelsAndPixels()
    {
        var clock = Stopwatch.StartNew();
        var train = new FashionMnistDataset(FashionMnistFactAttribute.Folder, FashionMnistSplit.Train);
        output.WriteLine($"60,000 training images decoded in {clock.ElapsedMilliseconds} ms");
        var test = new FashionMnistDataset(FashionMnistFactAttribute.Folder, FashionMnistSplit.Test);
        Assert.Equal((60_000, 10_000), (train.Count, test.Count));
        Assert.All(CountPerClass(train), n => Assert.Equal(6_000, n));
        Assert.All(CountPerClass(test), n => Assert.Equal(1_000, n));

        using var first = train.Get(0);
        Assert.Equal((9, "Ankle boot"), (first.Label, train.Classes[first.Label]));
        Assert.Equal(new long[] { 3, 28, 28 }, first.Image.shape);
        // numpy: train[0][4, 14] = 36, [14, 25] = 255, [10, 10] = 0, sum 76,247; train[1][14, 14] = 204; test[0][14, 14] = 110.
        Assert.Equal(new[] { 36 / 255f, 1f, 0f }, new[] { first.Image[0, 4, 14], first.Image[2, 14, 25], first.Image[1, 10, 10] }.Select(t => t.item<float>()));
        Assert.Equal(76_247f, (first.Image[0] * 255).round().sum().item<float>());
        Assert.Equal((0f, 1f), (first.Image.min().item<float>(), first.Image.max().item<float>()));
        using (var s = train.Get(1)) Assert.Equal((0, 204 / 255f), (s.Label, s.Image[0, 14, 14].item<float>()));
        using (var s = train.Get(12_345)) Assert.Equal(191 / 255f, s.Image[0, 20, 5].item<float>());
        using (var s = train.Get(59_999)) Assert.Equal((5, 16_684f), (s.Label, (s.Image[0] * 255).round().sum().item<float>()));
        using (var s = test.Get(0)) Assert.Equal((9, 110 / 255f), (s.Label, s.Image[0, 14, 14].item<float>()));

        var padded = new FashionMnistDataset(FashionMnistFactAttribute.Folder, FashionMnistSplit.Train, padTo: 32);
        using var p = padded.Get(0);
        Assert.Equal(new long[] { 3, 32, 32 }, p.Image.shape);
        using var inner = p.Image[.., 2..30, 2..30];
        TensorAssert.Equal(first.Image, inner, "train[0] inside its 2-pixel border");
        Assert.Equal(first.Image.sum().item<float>(), p.Image.sum().item<float>(), 2);
    }

    static int[] CountPerClass(FashionMnistDataset data)
    {
        var counts = new int[data.Classes.Count];
        foreach (var label in data.Labels.Span) counts[label]++;
        return counts;
    }
}
