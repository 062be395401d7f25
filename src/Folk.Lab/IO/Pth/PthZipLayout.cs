using System.IO.Compression;
using System.Text;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// PyTorch's zip layout (the default since 1.6): <c>&lt;archive&gt;/data.pkl</c> holds the pickle, whose persistent ids
/// <c>('storage', class, key, location, numel)</c> name <c>&lt;archive&gt;/data/&lt;key&gt;</c> records of raw
/// little-endian bytes; <c>byteorder</c> and <c>version</c> records sit beside them.
/// </summary>
internal sealed class PthZipLayout : PthLayout
{
    const long MaxDeflateRatio = 1032;                        // the most deflate expands (258 bytes from 2 bits)

    readonly ZipArchive _zip;
    readonly string _prefix;

    public override string Format => "zip";

    public PthZipLayout(string path) : base(path)
    {
        try { _zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: a damaged or truncated zip archive: {e.Message}", e); }
        try
        {
            var pickle = _zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') <= 1)
                ?? throw new InvalidDataException($"{path}: a zip archive without a data.pkl record, so not a PyTorch file.");
            _prefix = pickle.FullName[..^"data.pkl".Length];
            if (_zip.GetEntry(_prefix + "byteorder") is { } order && Text(order) is var byteOrder && byteOrder != "little")
                throw new InvalidDataException($"{path}: byteorder '{byteOrder}' is not supported (only little-endian files are read).");
            var storages = new Dictionary<string, TorchStorageRef>();
            using var buffer = new MemoryStream();
            using (var stream = pickle.Open()) stream.CopyTo(buffer);
            buffer.Position = 0;
            var machine = new PickleMachine($"{path}:{pickle.FullName}", id => Storage(id, storages));
            Root = machine.Load(buffer);
        }
        catch
        {
            _zip.Dispose();
            throw;
        }
    }

    TorchStorageRef Storage(object?[] id, Dictionary<string, TorchStorageRef> seen)
    {
        if (id.Length != 5 || id[0] as string != "storage" || id[1] is not PickleGlobal { DType: { } dtype } || id[2] is not string key || id[4] is not long numel || numel < 0)
            throw new InvalidDataException($"{Source}: a persistent id is not ('storage', class, key, location, numel).");
        if (seen.TryGetValue(key, out var known)) return known;
        return seen[key] = new TorchStorageRef(key, dtype, numel);
    }

    protected override Stream OpenStorage(TorchStorageRef storage, long bytes)
    {
        var entry = _zip.GetEntry($"{_prefix}data/{storage.Key}")
            ?? throw new InvalidDataException($"{Source}: storage {storage.Key} has no record {_prefix}data/{storage.Key}.");
        if (entry.Length < bytes)
            throw new InvalidDataException($"{Source}: storage {storage.Key} holds {entry.Length} bytes, its tensors need {bytes}.");
        if (entry.Length > MaxDeflateRatio * Math.Max(entry.CompressedLength, 1))
            throw new InvalidDataException($"{Source}: storage {storage.Key} claims {entry.Length} bytes from {entry.CompressedLength} compressed ones, more than deflate can give.");
        try { return entry.Open(); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{Source}: storage {storage.Key} cannot be read: {e.Message}", e); }
    }

    static string Text(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd().Trim();
    }

    public override void Dispose() => _zip.Dispose();
}
