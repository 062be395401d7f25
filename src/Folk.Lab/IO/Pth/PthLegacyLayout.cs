using System.Buffers.Binary;
using System.Numerics;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// PyTorch's legacy layout (<c>_use_new_zipfile_serialization=False</c>): five pickles in a row (the magic number,
/// the protocol version 1001, a sys-info dict, the object with persistent ids <c>('storage', class, key, location,
/// numel, view)</c>, the list of storage keys), then each storage in that order as an int64 element count and its
/// raw little-endian bytes.
/// </summary>
internal sealed class PthLegacyLayout : PthLayout
{
    static readonly BigInteger MagicNumber = BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber);

    readonly FileStream _file;
    readonly Dictionary<string, long> _offsets = new();

    public override string Format => "legacy";

    public PthLegacyLayout(string path) : base(path)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var storages = new Dictionary<string, TorchStorageRef>();
            var machine = new PickleMachine(path, id => Storage(id, storages));
            object? Header()                                                     // a pickle around the weights: plain values only
            {
                var value = machine.Load(_file);
                return value is PickleObject foreign ? throw new UnsafePickleException(path, foreign.Global, foreign.Request, null, canSkip: false) : value;
            }
            if (Header() is not BigInteger magic || magic != MagicNumber)
                throw new InvalidDataException($"{path}: a pickle, but not a PyTorch file (no legacy magic number).");
            if (Header() is not long protocol || protocol != 1001)
                throw new InvalidDataException($"{path}: unsupported legacy protocol version (1001 is read).");
            if (Header() is not PickleDict info || !info.TryGet("little_endian", out var little) || little is not true)
                throw new InvalidDataException($"{path}: only little-endian legacy files are read.");
            Root = machine.Load(_file);
            if (Header() is not List<object?> keys)
                throw new InvalidDataException($"{path}: the legacy storage key list is missing.");
            Index(keys, storages);
        }
        catch (EndOfStreamException e)
        {
            _file.Dispose();
            throw new InvalidDataException($"{path}: truncated legacy .pth file.", e);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    void Index(List<object?> keys, Dictionary<string, TorchStorageRef> storages)
    {
        Span<byte> count = stackalloc byte[8];
        foreach (var k in keys)
        {
            var key = k as string ?? throw new InvalidDataException($"{Source}: a storage key is not a string.");
            if (!storages.TryGetValue(key, out var storage))
                throw new InvalidDataException($"{Source}: storage {key} is listed but no tensor uses it, so its element size is unknown.");
            _file.ReadExactly(count);
            long numel = BinaryPrimitives.ReadInt64LittleEndian(count);
            if (numel != storage.Numel)
                throw new InvalidDataException($"{Source}: storage {key} holds {numel} elements, its pickle says {storage.Numel}.");
            _offsets[key] = _file.Position;
            long next = checked(_file.Position + numel * TensorBytes.ElementSize(storage.DType));
            if (next > _file.Length)
                throw new InvalidDataException($"{Source}: storage {key} is truncated (it ends at byte {next}, the file at {_file.Length}).");
            _file.Position = next;
        }
    }

    TorchStorageRef Storage(object?[] id, Dictionary<string, TorchStorageRef> seen)
    {
        if (id.Length != 6 || id[0] as string != "storage" || id[1] is not PickleGlobal { DType: { } dtype } || id[2] is not string key || id[4] is not long numel || numel < 0)
            throw new InvalidDataException($"{Source}: a persistent id is not ('storage', class, key, location, numel, view).");
        if (id[5] is not null)
            throw new InvalidDataException($"{Source}: storage views of PyTorch before 1.0 are not read; re-save the file with a current PyTorch.");
        if (seen.TryGetValue(key, out var known)) return known;
        return seen[key] = new TorchStorageRef(key, dtype, numel);
    }

    protected override Stream OpenStorage(TorchStorageRef storage, long bytes)
    {
        if (!_offsets.TryGetValue(storage.Key, out var offset))
            throw new InvalidDataException($"{Source}: storage {storage.Key} is not in the file's storage list.");
        _file.Position = offset;
        return new NonClosingStream(_file);
    }

    public override void Dispose() => _file.Dispose();

    /// <summary>The file stream, lent to one storage read without closing it.</summary>
    sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
