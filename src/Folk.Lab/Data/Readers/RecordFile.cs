using System.Globalization;

namespace Folk.Lab.Data.Readers;

/// <summary>
/// A binary file of fixed-size records (CIFAR batches, STL-10 image files), read one record at a time at its
/// offset. Nothing is cached: reads are positional (<see cref="RandomAccess"/>), so any number of threads may read
/// at once.
/// </summary>
internal sealed class RecordFile
{
    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The file name, for sample sources ("test_batch.bin").</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Bytes per record.</summary>
    public int RecordSize { get; }

    /// <summary>Number of records in the file.</summary>
    public long Count { get; }

    /// <summary>
    /// Opens the description of <paramref name="path"/>: the file must exist and hold a whole, non-zero number of
    /// records; <paramref name="layout"/> says what a record is, for the error message.
    /// </summary>
    public RecordFile(string path, int recordSize, string layout, long? expectedCount = null)
    {
        Path = path;
        RecordSize = recordSize;
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file ({layout}).", path);
        long length = info.Length;
        if (length == 0 || length % recordSize != 0)
            throw new InvalidDataException(
                $"{path}: {Bytes(length)} is not a whole number of {Bytes(recordSize)} records ({layout}); the file is truncated or not in this format.");
        Count = length / recordSize;
        if (expectedCount is { } n && n != Count)
            throw new InvalidDataException($"{path}: holds {Count} records of {Bytes(recordSize)} but {n} are expected ({layout}).");
    }

    /// <summary>Reads record <paramref name="index"/> into <paramref name="buffer"/> (of <see cref="RecordSize"/> bytes).</summary>
    public void Read(long index, Span<byte> buffer)
    {
        string source = $"{Path}#{index}";
        try
        {
            using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
            int read = 0;
            while (read < RecordSize)
            {
                int n = RandomAccess.Read(handle, buffer[read..RecordSize], index * RecordSize + read);
                if (n == 0) throw new ImageDecodeException(source, $"the file ends inside record {index} (was it truncated after the reader opened it?)");
                read += n;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(source, $"cannot be read ({e.Message})", e);
        }
    }

    static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
