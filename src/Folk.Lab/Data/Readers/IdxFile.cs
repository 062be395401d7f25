using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Folk.Lab.Data.Readers;

/// <summary>
/// One IDX file of unsigned bytes, the format of the MNIST files (LeCun, Cortes and Burges,
/// http://yann.lecun.com/exdb/mnist/, "FILE FORMATS FOR THE MNIST DATABASE"), kept by Fashion-MNIST
/// (https://github.com/zalandoresearch/fashion-mnist): a 4-byte big-endian magic number — two zero bytes, the element
/// type (0x08 = unsigned byte) and the number of dimensions — then each dimension as a 32-bit big-endian integer, then
/// the values, last dimension fastest. Images are 0x00000803 (count × rows × columns), labels 0x00000801 (count).
/// </summary>
/// <remarks>
/// The file may be gzip-compressed, as the data sets are distributed, or plain, as torchvision leaves it after
/// extracting: compression is recognised from the gzip magic bytes 1F 8B (RFC 1952 §2.3.1), not from the file name.
/// The whole file is read: a file that ends before the values its header announces, or goes on after them, is refused,
/// and a damaged gzip stream (its CRC-32 is checked) too. Every error is an <see cref="InvalidDataException"/> whose
/// message names the file and what is wrong.
/// </remarks>
public sealed class IdxFile
{
    /// <summary>Magic number of an IDX file of images: unsigned bytes, 3 dimensions (count × rows × columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of labels: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    const byte UnsignedByte = 0x08;

    /// <summary>The file (or other source) read, as named in error messages.</summary>
    public string Source { get; }

    /// <summary>True when the bytes were gzip-compressed.</summary>
    public bool Compressed { get; }

    /// <summary>The magic number: 0x0000080N for N dimensions of unsigned bytes.</summary>
    public int Magic => 0x0800 | Dimensions.Count;

    /// <summary>The dimensions from the header, outermost first (60,000, 28, 28 for Fashion-MNIST's training images).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The values, last dimension fastest (the product of <see cref="Dimensions"/> bytes).</summary>
    public ReadOnlyMemory<byte> Values { get; }

    IdxFile(string source, bool compressed, int[] dimensions, byte[] values)
    {
        (Source, Compressed, Dimensions, Values) = (source, compressed, dimensions, values);
    }

    /// <summary>
    /// Reads the IDX file at <paramref name="path"/>, gzip-compressed or plain. <paramref name="magic"/>: the magic
    /// number the file must have (<see cref="ImagesMagic"/>, <see cref="LabelsMagic"/>), or null for any number of
    /// dimensions of unsigned bytes. Throws <see cref="FileNotFoundException"/> when it is missing and
    /// <see cref="InvalidDataException"/> when it is not such a file.
    /// </summary>
    public static IdxFile Read(string path, int? magic = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file (an IDX file was expected).", path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            return Parse(stream, path, magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    /// <summary>
    /// Parses the bytes of an IDX file, gzip-compressed or plain; <paramref name="source"/> names it in error messages.
    /// <paramref name="magic"/> as for <see cref="Read"/>.
    /// </summary>
    public static IdxFile Parse(ReadOnlyMemory<byte> bytes, string source, int? magic = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var stream = MemoryMarshal.TryGetArray(bytes, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
        return Parse(stream, source, magic);
    }

    static IdxFile Parse(Stream file, string source, int? magic)
    {
        if (magic is { } m && (m & ~0xFF) != UnsignedByte << 8)
            throw new ArgumentOutOfRangeException(nameof(magic), m, $"magic must be 0x000008NN (unsigned bytes, NN dimensions); got {Hex(m)}.");
        Span<byte> start = stackalloc byte[2];
        int got = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Seek(0, SeekOrigin.Begin);
        bool compressed = got == 2 && start[0] == 0x1F && start[1] == 0x8B;
        using var data = compressed ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        try
        {
            return Parse(data, source, magic, compressed);
        }
        catch (InvalidDataException e) when (compressed && !e.Message.StartsWith(source + ": ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: the gzip data is damaged ({e.Message.TrimEnd('.')}); the file is truncated or corrupt.", e);
        }
    }

    static IdxFile Parse(Stream data, string source, int? magic, bool compressed)
    {
        string what = compressed ? "decompressed data" : "file";
        Span<byte> head = stackalloc byte[4];
        int got = data.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new InvalidDataException($"{source}: the {what} holds {got} bytes, too few for an IDX magic number (4 bytes); the file is truncated or not IDX.");
        int found = BinaryPrimitives.ReadInt32BigEndian(head);
        if (head[0] != 0 || head[1] != 0 || head[2] != UnsignedByte || head[3] == 0)
            throw new InvalidDataException(
                $"{source}: magic number {Hex(found)} is not that of an IDX file of unsigned bytes (0x000008NN, NN = number of dimensions >= 1)" +
                (magic is { } e ? $"; expected {Hex(e)} ({Describe(e)})." : "."));
        if (magic is { } expected && found != expected)
            throw new InvalidDataException($"{source}: magic number {Hex(found)} ({Describe(found)}), expected {Hex(expected)} ({Describe(expected)}).");

        int rank = head[3];
        var header = new byte[4 * rank];
        got = data.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw new InvalidDataException($"{source}: the {what} ends inside the header ({rank} dimensions of 4 bytes after the magic number); the file is truncated.");
        var dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
            if (d > int.MaxValue) throw new InvalidDataException($"{source}: dimension {i} is {d}; the header is corrupt.");
            dims[i] = (int)d;
            total *= d;
            if (total > Array.MaxLength) throw new InvalidDataException($"{source}: the header's dimensions {Shape(dims[..(i + 1)])}… exceed the largest array; the header is corrupt.");
        }

        var values = new byte[total];
        got = data.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (got < total)
            throw new InvalidDataException(
                $"{source}: the {what} ends after {N(got)} of the {N(total)} value bytes its header announces ({Shape(dims)}); the file is truncated.");
        long extra = 0;
        var rest = new byte[1 << 16];
        for (int n; (n = data.Read(rest)) > 0;) extra += n;
        if (extra > 0)
            throw new InvalidDataException(
                $"{source}: {N(extra)} bytes follow the {N(total)} value bytes its header announces ({Shape(dims)}); the file is not what its header says.");
        return new IdxFile(source, compressed, dims, values);
    }

    static string Describe(int magic) => magic switch
    {
        ImagesMagic => "unsigned bytes, 3 dimensions: images",
        LabelsMagic => "unsigned bytes, 1 dimension: labels",
        _ when (magic & ~0xFF) == UnsignedByte << 8 => $"unsigned bytes, {magic & 0xFF} dimensions",
        _ => "not unsigned bytes",
    };

    static string Hex(int value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

    static string Shape(IEnumerable<int> dims) => string.Join("×", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
