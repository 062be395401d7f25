using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw bytes. Readable by Python's <c>safetensors</c> library as is. Folk.Lab adds
/// a SHA-256 of the data section to the header's <c>__metadata__</c> (key <see cref="ChecksumKey"/>) and checks it on
/// read, so a truncated or altered file is refused, never half-loaded.
/// </summary>
public static class SafeTensors
{
    /// <summary>Metadata key of the data checksum.</summary>
    public const string ChecksumKey = "folk_lab.sha256";

    static readonly (string Name, ScalarType Type)[] DTypes =
    {
        ("F32", ScalarType.Float32), ("F64", ScalarType.Float64), ("BF16", ScalarType.BFloat16), ("F16", ScalarType.Float16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    };

    /// <summary>Writes tensors (copied to the CPU) and string metadata, atomically, with the data checksum.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var blobs = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value, Bytes: TensorBytes.Of(t.Value))).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var blob in blobs) hash.AppendData(blob.Bytes);

        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { [ChecksumKey] = Convert.ToHexString(hash.GetHashAndReset()) };
        var header = new Dictionary<string, object> { ["__metadata__"] = meta };
        long offset = 0;
        foreach (var (name, t, bytes) in blobs)
        {
            var dtype = DTypes.FirstOrDefault(d => d.Type == t.dtype).Name
                ?? throw new ArgumentException($"Tensor '{name}' has dtype {t.dtype}, which safetensors cannot store.", nameof(tensors));
            header[name] = new { dtype, shape = t.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - json.Length % 8) % 8;                                   // keep the data 8-byte aligned
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
            stream.Write(length);
            stream.Write(json);
            for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob.Bytes);
        });
    }

    /// <summary>The shape of every tensor, from the header alone: the data is neither read nor checked (that is
    /// <see cref="Read"/>'s work).</summary>
    public static Dictionary<string, long[]> ReadShapes(string path)
    {
        using var file = File.OpenRead(path);
        return Entries(ReadHeader(file, path)).ToDictionary(p => p.Name, p => ShapeOf(p.Value));
    }

    /// <summary>
    /// Reads every tensor (onto the CPU) and the metadata. Throws <see cref="InvalidDataException"/> naming the file
    /// when it is truncated, malformed, or its data does not match its checksum.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        byte[] bytes;
        JsonElement root;
        using (var file = File.OpenRead(path))
        {
            root = ReadHeader(file, path);
            bytes = new byte[file.Length - file.Position];
            file.ReadExactly(bytes);
        }
        var data = bytes.AsSpan();

        var metadata = new Dictionary<string, string>();
        if (root.TryGetProperty("__metadata__", out var meta))
            foreach (var p in meta.EnumerateObject()) metadata[p.Name] = p.Value.GetString() ?? "";

        var entries = Entries(root).ToList();
        long end = entries.Count == 0 ? 0 : entries.Max(e => e.Value.GetProperty("data_offsets")[1].GetInt64());
        if (end != data.Length) throw new InvalidDataException($"{path}: the data section holds {data.Length} bytes, the header describes {end} (truncated or padded file).");
        if (metadata.TryGetValue(ChecksumKey, out var expected) && !string.Equals(expected, Convert.ToHexString(SHA256.HashData(data)), StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: checksum mismatch: the data was altered or partly written.");

        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in entries)
        {
            var dtypeName = entry.Value.GetProperty("dtype").GetString();
            var type = DTypes.FirstOrDefault(d => d.Name == dtypeName);
            if (type.Name is null) throw new InvalidDataException($"{path}: tensor '{entry.Name}' has unsupported dtype '{dtypeName}'.");
            var shape = ShapeOf(entry.Value);
            var offsets = entry.Value.GetProperty("data_offsets");
            long begin = offsets[0].GetInt64(), stop = offsets[1].GetInt64();
            long expectedBytes = shape.Aggregate(1L, (a, b) => a * b) * TensorBytes.ElementSize(type.Type);
            if (stop - begin != expectedBytes || begin < 0 || stop > data.Length)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' claims bytes [{begin}, {stop}) for shape {Shape.Format(shape)} of {dtypeName}.");
            tensors[entry.Name] = TensorBytes.Create(data[(int)begin..(int)stop], type.Type, shape);
        }
        return (tensors, metadata);
    }

    /// <summary>The header's JSON, read from the start of <paramref name="file"/>, which is left at the data section.</summary>
    static JsonElement ReadHeader(Stream file, string path)
    {
        var prefix = new byte[8];
        if (file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"{path}: truncated safetensors file ({file.Length} bytes).");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(file.Length - 8))
            throw new InvalidDataException($"{path}: truncated safetensors header (declares {headerLength} bytes, file has {file.Length - 8}).");
        var header = new byte[(int)headerLength];
        file.ReadExactly(header);
        try { return JsonDocument.Parse(header).RootElement; }
        catch (JsonException e) { throw new InvalidDataException($"{path}: malformed safetensors header: {e.Message}", e); }
    }

    static IEnumerable<JsonProperty> Entries(JsonElement root) => root.EnumerateObject().Where(p => p.Name != "__metadata__");

    static long[] ShapeOf(JsonElement entry) => entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
}
