using System.Buffers.Binary;
using System.IO.Compression;
using Folk.Lab.Data.Readers;

namespace Folk.Lab.Tests.Data.Readers;

/// <summary>IDX files written byte by byte from the format's description (http://yann.lecun.com/exdb/mnist/).</summary>
public sealed class IdxFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The magic number (0, 0, type, rank), each dimension big-endian, then the values.</summary>
    internal static byte[] Idx(int[] dims, byte[] values, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + values.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        values.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(bytes);
        return output.ToArray();
    }

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static readonly byte[] Values = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 11 + 3)).ToArray();

    [Fact]
    public void PlainAndGzipFilesReadAlikeWhateverTheirNames()
    {
        var idx = Idx(new[] { 2, 3, 4 }, Values);
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4 }, idx[..16]);
        // Compression is told by the bytes: a plain file named .gz, a gzip file named without.
        var plain = IdxFile.Read(Write("plain.gz", idx), IdxFile.ImagesMagic);
        var packed = IdxFile.Read(Write("packed-idx3-ubyte", Gzip(idx)), IdxFile.ImagesMagic);
        Assert.False(plain.Compressed);
        Assert.True(packed.Compressed);
        foreach (var f in new[] { plain, packed })
        {
            Assert.Equal(new[] { 2, 3, 4 }, f.Dimensions);
            Assert.Equal(0x00000803, f.Magic);
            Assert.Equal(Values, f.Values.ToArray());
        }
        Assert.Equal(Path.Combine(_dir, "plain.gz"), plain.Source);

        var labels = IdxFile.Read(Write("labels", Gzip(Idx(new[] { 5 }, new byte[] { 9, 0, 0, 3, 0 }))));   // any rank when no magic is asked for
        Assert.Equal((0x00000801, 5), (labels.Magic, labels.Dimensions.Single()));
        Assert.Equal(new byte[] { 9, 0, 0, 3, 0 }, labels.Values.ToArray());
        var parsed = IdxFile.Parse(Gzip(idx), "in memory", IdxFile.ImagesMagic);
        Assert.Equal(Values, parsed.Values.ToArray());
        Assert.Empty(IdxFile.Parse(Idx(new[] { 0, 28, 28 }, Array.Empty<byte>()), "empty").Values.ToArray());
    }

    public static TheoryData<string, bool, string> Broken => new()
    {
        // what is wrong, compressed, what the message says
        { "labels read as images", false, "magic number 0x00000801 (unsigned bytes, 1 dimension: labels), expected 0x00000803 (unsigned bytes, 3 dimensions: images)." },
        { "labels read as images", true, "magic number 0x00000801 (unsigned bytes, 1 dimension: labels), expected 0x00000803" },
        { "float values", false, "magic number 0x00000D03 is not that of an IDX file of unsigned bytes (0x000008NN" },
        { "not IDX at all", false, "magic number 0x3C68746D is not that of an IDX file of unsigned bytes" },
        { "empty", false, "the file holds 0 bytes, too few for an IDX magic number (4 bytes); the file is truncated or not IDX." },
        { "cut in the header", false, "the file ends inside the header (3 dimensions of 4 bytes after the magic number); the file is truncated." },
        { "cut in the values", false, "the file ends after 20 of the 24 value bytes its header announces (2×3×4); the file is truncated." },
        { "cut in the values", true, "the decompressed data ends after 20 of the 24 value bytes its header announces (2×3×4); the file is truncated." },
        { "bytes after the values", false, "3 bytes follow the 24 value bytes its header announces (2×3×4); the file is not what its header says." },
        { "bytes after the values", true, "3 bytes follow the 24 value bytes its header announces (2×3×4)" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void BadFilesAreRefusedNamingTheFileAndTheFault(string fault, bool compressed, string message)
    {
        var idx = Idx(new[] { 2, 3, 4 }, Values);
        byte[] bytes = fault switch
        {
            "labels read as images" => Idx(new[] { 24 }, Values),
            "float values" => Idx(new[] { 2, 3, 1 }, new byte[24], type: 0x0D),
            "not IDX at all" => "<html>not found</html>"u8.ToArray(),
            "empty" => Array.Empty<byte>(),
            "cut in the header" => idx[..10],
            "cut in the values" => idx[..^4],
            _ => idx.Concat(new byte[] { 1, 2, 3 }).ToArray(),
        };
        var path = Write("bad-idx3-ubyte", compressed ? Gzip(bytes) : bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path, IdxFile.ImagesMagic));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ADamagedOrCutGzipStreamIsRefused()
    {
        var gz = Gzip(Idx(new[] { 2, 3, 4 }, Values));
        var crc = (byte[])gz.Clone();
        crc[^8] ^= 0xFF;                                                    // the CRC-32 of the trailer (RFC 1952 §2.3)
        var path = Write("crc.gz", crc);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.StartsWith(path + ": the gzip data is damaged (", e.Message);

        path = Write("cut.gz", gz[..(gz.Length / 2)]);
        e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("truncated", e.Message);

        var missing = Path.Combine(_dir, "absent.gz");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => IdxFile.Read(missing)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxFile.Parse(gz, "x", magic: 0x0D03));
    }
}
