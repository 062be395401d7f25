using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>
/// NumPy's <c>.npy</c> format (versions 1.0–3.0), so arrays move between Folk.Lab and Python unchanged.
/// </summary>
/// <remarks>
/// Supported: little-endian float32, float64, int64, int32, uint8 and bool in C order, any rank (0-d included).
/// Everything else is refused with a message that names the file, what was found and how to re-save it.
/// Files are written in version 1.0 (2.0 when the header needs it), atomically.
/// </remarks>
public static class Npy
{
    static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    static readonly (string Descr, ScalarType Type, int Size)[] DTypes =
    {
        ("f4", ScalarType.Float32, 4), ("f8", ScalarType.Float64, 8), ("i8", ScalarType.Int64, 8),
        ("i4", ScalarType.Int32, 4), ("u1", ScalarType.Byte, 1), ("b1", ScalarType.Bool, 1),
    };

    const string Supported = "float32 (<f4), float64 (<f8), int64 (<i8), int32 (<i4), uint8 (|u1), bool (|b1)";

    /// <summary>Reads an array into a CPU tensor of the matching dtype.</summary>
    public static Tensor Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"{path}: no such .npy file.", path); }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a .npy file; <paramref name="source"/> names it in error messages.</summary>
    public static Tensor Parse(ReadOnlySpan<byte> bytes, string source)
    {
        var (headerStart, headerLength, encoding) = Preamble(bytes, source);
        if (headerStart + headerLength > bytes.Length)
            throw new InvalidDataException($"{source}: truncated .npy header (declares {headerLength} bytes, file has {bytes.Length - headerStart}).");
        var header = NpyHeader.Parse(encoding.GetString(bytes.Slice(headerStart, headerLength)), source);

        if (header.FortranOrder)
            throw new InvalidDataException($"{source}: Fortran-ordered arrays are not supported; re-save with numpy.ascontiguousarray(a).");
        var (type, size) = Lookup(header.Descr, source);

        long count = header.Shape.Aggregate(1L, (a, b) => a * b);
        long expected = count * size;
        var data = bytes[(headerStart + headerLength)..];
        if (data.Length < expected)
            throw new InvalidDataException(
                $"{source}: truncated data: shape {Shape.Format(header.Shape)} of {header.Descr} needs {expected} bytes, the file holds {data.Length}.");
        data = data[..(int)expected];
        if (type == ScalarType.Bool) ToBools(data, source);                 // validates 0/1
        return TensorBytes.Create(data, type, header.Shape);
    }

    /// <summary>The shape of the array <paramref name="stream"/> holds, from its header alone: the data is not read.</summary>
    public static long[] ReadShape(Stream stream, string source)
    {
        var preamble = new byte[12];
        int read = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        var (headerStart, headerLength, encoding) = Preamble(preamble.AsSpan(0, read), source);
        var header = new byte[headerLength];
        int got = Math.Min(headerLength, read - headerStart);                // a 1.0 header's first bytes came with the preamble
        preamble.AsSpan(headerStart, got).CopyTo(header);
        got += stream.ReadAtLeast(header.AsSpan(got), headerLength - got, throwOnEndOfStream: false);
        if (got < headerLength)
            throw new InvalidDataException($"{source}: truncated .npy header (declares {headerLength} bytes, file has {got}).");
        return NpyHeader.Parse(encoding.GetString(header), source).Shape;
    }

    /// <summary>Where the header starts, its length and its text encoding, from the magic and the version.</summary>
    static (int HeaderStart, int HeaderLength, Encoding Encoding) Preamble(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{source}: not a .npy file (it does not start with the \\x93NUMPY magic).");
        int major = bytes[6];
        return major switch
        {
            1 => (10, BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]), Encoding.Latin1),
            2 or 3 when bytes.Length >= 12 =>
                (12, checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])), major == 3 ? Encoding.UTF8 : Encoding.Latin1),
            _ => throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{bytes[7]} (1.0, 2.0 and 3.0 are supported)."),
        };
    }

    /// <summary>Writes a tensor (any device; copied to the CPU) as a .npy file, atomically.</summary>
    public static void Write(string path, Tensor array) => AtomicFile.Write(path, s => WriteTo(s, array));

    /// <summary>Writes a tensor in .npy format to a stream.</summary>
    public static void WriteTo(Stream stream, Tensor array)
    {
        var entry = DTypes.FirstOrDefault(d => d.Type == array.dtype);
        if (entry.Descr is null)
            throw new ArgumentException($"Cannot write dtype {array.dtype} to .npy; convert it first (supported: {Supported}).", nameof(array));
        var descr = (entry.Size == 1 ? "|" : "<") + entry.Descr;
        var shape = array.shape.Length switch
        {
            0 => "()",
            1 => $"({array.shape[0]},)",
            _ => "(" + string.Join(", ", array.shape) + ")",
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int prefix = 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        if (total - prefix > ushort.MaxValue) { prefix = 12; total = (prefix + dict.Length + 1 + 63) / 64 * 64; }
        var header = dict.PadRight(total - prefix - 1) + "\n";

        stream.Write(Magic);
        stream.WriteByte(prefix == 10 ? (byte)1 : (byte)2);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[4];
        if (prefix == 10) { BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length); stream.Write(length[..2]); }
        else { BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length); stream.Write(length); }
        stream.Write(Encoding.Latin1.GetBytes(header));

        stream.Write(TensorBytes.Of(array));
    }

    static (ScalarType Type, int Size) Lookup(string descr, string source)
    {
        if (descr.Length >= 2 && descr[0] == '>' && descr[1..] != "u1" && descr[1..] != "b1")
            throw new InvalidDataException($"{source}: big-endian dtype '{descr}' is not supported; re-save with a.astype(a.dtype.newbyteorder('<')).");
        var body = descr.Length > 0 && descr[0] is '<' or '|' or '=' or '>' ? descr[1..] : descr;
        foreach (var d in DTypes)
            if (d.Descr == body) return (d.Type, d.Size);
        throw new InvalidDataException($"{source}: unsupported dtype '{descr}'; supported: {Supported}.");
    }

    static void ToBools(ReadOnlySpan<byte> data, string source)
    {
        for (int i = 0; i < data.Length; i++)
            if (data[i] > 1) throw new InvalidDataException($"{source}: byte {i} of a bool array is {data[i]}, not 0 or 1.");
    }
}

/// <summary>The three fields of a .npy header, parsed from its Python dict literal.</summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    public static NpyHeader Parse(string text, string source)
    {
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        var t = text.Trim();
        if (!t.StartsWith('{') || !t.EndsWith('}'))
            throw Malformed(source, text, "the header is not a {...} dict literal");
        int i = 1;
        while (true)
        {
            SkipSpace(t, ref i);
            if (t[i] == '}') break;
            var key = ReadString(t, ref i, source, text);
            SkipSpace(t, ref i);
            Expect(t, ref i, ':', source, text);
            SkipSpace(t, ref i);
            switch (key)
            {
                case "descr": descr = ReadString(t, ref i, source, text); break;
                case "fortran_order": fortran = ReadBool(t, ref i, source, text); break;
                case "shape": shape = ReadShape(t, ref i, source, text); break;
                default: throw Malformed(source, text, $"unexpected key '{key}'");
            }
            SkipSpace(t, ref i);
            if (t[i] == ',') i++;
            else if (t[i] != '}') throw Malformed(source, text, $"expected ',' or '}}' at position {i}");
        }
        if (descr is null || fortran is null || shape is null)
            throw Malformed(source, text, "it must define 'descr', 'fortran_order' and 'shape'");
        return new NpyHeader(descr, fortran.Value, shape);
    }

    static string ReadString(string t, ref int i, string source, string text)
    {
        if (i >= t.Length || (t[i] != '\'' && t[i] != '"')) throw Malformed(source, text, $"expected a quoted string at position {i}");
        char quote = t[i];
        int end = t.IndexOf(quote, i + 1);
        if (end < 0) throw Malformed(source, text, "unterminated string");
        var value = t[(i + 1)..end];
        i = end + 1;
        return value;
    }

    static bool ReadBool(string t, ref int i, string source, string text)
    {
        if (string.CompareOrdinal(t, i, "True", 0, 4) == 0) { i += 4; return true; }
        if (string.CompareOrdinal(t, i, "False", 0, 5) == 0) { i += 5; return false; }
        throw Malformed(source, text, $"expected True or False at position {i}");
    }

    static long[] ReadShape(string t, ref int i, string source, string text)
    {
        Expect(t, ref i, '(', source, text);
        var dims = new List<long>();
        while (true)
        {
            SkipSpace(t, ref i);
            if (i < t.Length && t[i] == ')') { i++; break; }
            int start = i;
            while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
            if (i == start || !long.TryParse(t[start..i], NumberStyles.None, CultureInfo.InvariantCulture, out var dim))
                throw Malformed(source, text, $"expected a non-negative integer dimension at position {start}");
            dims.Add(dim);
            SkipSpace(t, ref i);
            if (i < t.Length && t[i] == ',') i++;
        }
        return dims.ToArray();
    }

    static void Expect(string t, ref int i, char c, string source, string text)
    {
        if (i >= t.Length || t[i] != c) throw Malformed(source, text, $"expected '{c}' at position {i}");
        i++;
    }

    static void SkipSpace(string t, ref int i)
    {
        while (i < t.Length && char.IsWhiteSpace(t[i])) i++;
        if (i >= t.Length) throw new InvalidDataException("unexpected end of .npy header");
    }

    static InvalidDataException Malformed(string source, string text, string why) =>
        new($"{source}: malformed .npy header ({why}): {text.Trim()}");
}
