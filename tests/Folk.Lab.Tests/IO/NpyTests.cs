using System.Text;
using Folk.Lab.IO;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.IO;

public sealed class NpyTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("folk-lab-npy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<ScalarType> DTypes => new()
    {
        ScalarType.Float32, ScalarType.Float64, ScalarType.Int64, ScalarType.Int32, ScalarType.Byte, ScalarType.Bool,
    };

    static Tensor Sample(ScalarType dtype, long[] shape)
    {
        using var values = TestImages.Uniform(shape, dtype: ScalarType.Float64) * 200 - 50;
        return dtype switch
        {
            ScalarType.Bool => values.gt(50),
            ScalarType.Byte => values.clamp(0, 255).to(dtype),
            _ => values.to(dtype),
        };
    }

    [Theory, MemberData(nameof(DTypes))]
    public void RoundTripsEveryDtypeAndRank(ScalarType dtype)
    {
        foreach (var shape in new[] { new long[] { 2, 3, 5, 4 }, new long[] { 7 }, Array.Empty<long>(), new long[] { 0, 3 } })
        {
            using var x = Sample(dtype, shape);
            var path = Path.Combine(_folder, "a.npy");
            Npy.Write(path, x);
            using var back = Npy.Read(path);
            Assert.Equal(dtype, back.dtype);
            TensorAssert.Equal(x, back, $"{dtype} {string.Join("×", shape)}");
        }
        Assert.Single(Directory.GetFiles(_folder));                     // no temporary file left behind
    }

    [Fact]
    public void HeadersAreAlignedTo64BytesAndReadableAsText()
    {
        var path = Path.Combine(_folder, "h.npy");
        Npy.Write(path, zeros(3, 4));
        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", header.TrimEnd());
        Assert.EndsWith("\n", header);
    }

    [Fact]
    public void ArchivesRoundTrip()
    {
        var path = Path.Combine(_folder, "a.npz");
        using var a = Sample(ScalarType.Float32, new long[] { 2, 2 });
        using var b = Sample(ScalarType.Int64, new long[] { 5 });
        Npz.Write(path, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, compress: true);
        var back = Npz.Read(path);
        TensorAssert.Equal(a, back["a"], "a");
        TensorAssert.Equal(b, back["b"], "b");
    }

    [Fact]
    public void ShapesComeFromTheHeadersAloneInBothHeaderVersionsAndInArchives()
    {
        const string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        using (var v1 = new MemoryStream(Handmade(header, 0)))                 // the data is absent: only the header is read
            Assert.Equal(new long[] { 3, 4 }, Npy.ReadShape(v1, "v1.npy"));
        var text = Encoding.ASCII.GetBytes(header + "\n");
        byte[] v2 = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, .. BitConverter.GetBytes((uint)text.Length), .. text];
        using (var stream = new MemoryStream(v2)) Assert.Equal(new long[] { 3, 4 }, Npy.ReadShape(stream, "v2.npy"));
        using (var cut = new MemoryStream(Handmade(header, 0)[..40]))
            Assert.Contains("cut.npy: truncated .npy header", Assert.Throws<InvalidDataException>(() => Npy.ReadShape(cut, "cut.npy")).Message);

        var path = Path.Combine(_folder, "a.npz");
        using var a = Sample(ScalarType.Float32, new long[] { 2, 5 });
        using var b = Sample(ScalarType.Int64, Array.Empty<long>());
        Npz.Write(path, new Dictionary<string, Tensor> { ["a"] = a, ["b.c"] = b }, compress: true);
        var shapes = Npz.ReadShapes(path);
        Assert.Equal(new long[] { 2, 5 }, shapes["a"]);
        Assert.Equal(Array.Empty<long>(), shapes["b.c"]);
    }

    static byte[] Handmade(string header, int dataBytes, byte major = 1)
    {
        var text = Encoding.ASCII.GetBytes(header + "\n");
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        bytes.AddRange(BitConverter.GetBytes((ushort)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(new byte[dataBytes]);
        return bytes.ToArray();
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, "Fortran-ordered")]
    [InlineData("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", 4, "unsupported dtype '<f2'")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16, "unsupported dtype '<c8'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "big-endian")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 8, "malformed .npy header")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", 8, "must define")]
    [InlineData("['<f4', False, (2,)]", 8, "malformed .npy header")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20, "truncated data")]
    public void BadFilesAreRefusedWithTheFileNameAndTheReason(string header, int dataBytes, string reason)
    {
        var path = Path.Combine(_folder, "bad.npy");
        File.WriteAllBytes(path, Handmade(header, dataBytes));
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void NonNpyFilesAndCorruptArchivesAreRefused()
    {
        var path = Path.Combine(_folder, "x.npy");
        File.WriteAllText(path, "hello, world");
        Assert.Contains("not a .npy file", Assert.Throws<InvalidDataException>(() => Npy.Read(path)).Message);
        var zip = Path.Combine(_folder, "x.npz");
        File.WriteAllText(zip, "not a zip");
        var e = Assert.Throws<InvalidDataException>(() => Npz.Read(zip));
        Assert.StartsWith(zip, e.Message);
    }

    [Fact]
    public void UnsupportedTensorsAreRefusedOnWrite()
    {
        var e = Assert.Throws<ArgumentException>(() => Npy.Write(Path.Combine(_folder, "h.npy"), zeros(2, dtype: ScalarType.BFloat16)));
        Assert.Contains("BFloat16", e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [PyTorchFact]
    public void NumPyReadsWhatWeWriteAndWeReadWhatNumPyWrites()
    {
        // The reference process loads our .npz with numpy and writes its outputs with numpy.savez.
        var dtypes = new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int64, ScalarType.Int32, ScalarType.Byte, ScalarType.Bool };
        var inputs = dtypes.ToDictionary(d => d.ToString(), d => Sample(d, new long[] { 3, 2 }));
        var echoed = PyTorchReference.Call("echo", inputs);
        foreach (var (name, x) in inputs)
        {
            Assert.Equal(x.dtype, echoed[name].dtype);
            TensorAssert.Equal(x, echoed[name], name);
        }
    }
}
