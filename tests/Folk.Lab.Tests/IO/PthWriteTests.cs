using System.IO.Compression;
using Folk.Lab.IO;
using Folk.Lab.IO.Pth;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.IO;

/// <summary>Folk.Lab's .pth files: read back by <c>torch.load(weights_only=True)</c> bit for bit, and by Folk.Lab.</summary>
public sealed class PthWriteTests : IDisposable
{
    readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    static Dictionary<string, Tensor> Sample()
    {
        var g = new Generator(7);
        var wide = randn(4, 6, generator: g);
        return new Dictionary<string, Tensor>
        {
            ["encoder.blocks.0.attn.qkv.weight"] = randn(new long[] { 6, 2 }, generator: g),
            ["half"] = randn(new long[] { 3 }, generator: g).to(ScalarType.Float16),
            ["bf16"] = randn(new long[] { 2, 2 }, generator: g).to(ScalarType.BFloat16),
            ["f64"] = randn(new long[] { 2 }, generator: g).to(ScalarType.Float64),
            ["i64"] = arange(-5, 7, dtype: ScalarType.Int64).reshape(3, 4),
            ["i32"] = tensor(new[] { int.MinValue, 0, int.MaxValue }),
            ["i16"] = tensor(new short[] { -300, 300 }),
            ["i8"] = tensor(new sbyte[] { -128, 127 }),
            ["u8"] = tensor(new byte[] { 0, 255 }),
            ["flag"] = tensor(new[] { true, false }),
            ["scalar"] = tensor(-1.25f),
            ["transposed"] = wide.t(),                                      // written as a contiguous copy
            ["empty"] = zeros(0, 3),
            ["big-step"] = arange(0, 300, dtype: ScalarType.Int64).slice(0, 0, 300, 100),
        };
    }

    [Fact]
    public void FolkLabReadsWhatItWrites()
    {
        var path = Path.Combine(_temp.New("folk-lab-pth-"), "w.pth");
        var written = Sample();
        Pth.Write(path, written);
        var read = Pth.Read(path);
        Assert.Equal("zip", read.Format);
        Assert.Empty(read.Skipped);
        Assert.Equal(written.Keys, read.Tensors.Keys);
        foreach (var (name, t) in written)
        {
            Assert.Equal(t.dtype, read.Tensors[name].dtype);
            Assert.Equal(t.shape, read.Tensors[name].shape);
            Assert.Equal(TensorBytes.Of(t), TensorBytes.Of(read.Tensors[name]));
        }
        foreach (var t in written.Values.Concat(read.Tensors.Values)) t.Dispose();
    }

    [Fact]
    public void RecordsAreStoredAnd64ByteAlignedUnderArchive()
    {
        var path = Path.Combine(_temp.New("folk-lab-pth-"), "w.pth");
        var written = Sample();
        Pth.Write(path, written);
        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(new[] { "archive/data.pkl", "archive/byteorder" }, zip.Entries.Take(2).Select(e => e.FullName));
        Assert.Equal("archive/version", zip.Entries[^1].FullName);
        Assert.Equal(written.Count + 3, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        var bytes = File.ReadAllBytes(path);
        int at = 0;
        foreach (var e in zip.Entries)                                       // local headers follow one another
        {
            Assert.Equal(0x04034b50u, BitConverter.ToUInt32(bytes, at));
            int start = at + 30 + BitConverter.ToUInt16(bytes, at + 26) + BitConverter.ToUInt16(bytes, at + 28);
            Assert.True(start % 64 == 0, $"{e.FullName} starts at byte {start}");
            at = start + (int)e.Length;
        }
        foreach (var t in written.Values) t.Dispose();
    }

    [PyTorchFact]
    public void TorchLoadWeightsOnlyReadsItBitForBit()
    {
        var path = Path.Combine(_temp.New("folk-lab-pth-"), "w.pth");
        var written = Sample();
        Pth.Write(path, written);
        var loaded = PyTorchReference.Call("pth/load", new Dictionary<string, Tensor>(), new { path });
        foreach (var (name, t) in written)
        {
            Assert.Equal(t.dtype, PthFixtures.DTypes[loaded["dtype." + name].item<long>()]);
            Assert.Equal(t.shape, loaded["shape." + name].data<long>().ToArray());
            Assert.Equal(TensorBytes.Of(t), loaded["bytes." + name].data<byte>().ToArray());
        }
        Assert.Equal(written.Count * 5, loaded.Count);
        foreach (var t in written.Values.Concat(loaded.Values)) t.Dispose();
    }
}
