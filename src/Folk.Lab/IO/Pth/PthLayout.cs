using static TorchSharp.torch;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// One <c>.pth</c> file opened: the object its pickle describes (storages as <see cref="TorchStorageRef"/>, tensors as
/// <see cref="TorchTensorRef"/>) and access to the storages' bytes, read only when asked for.
/// </summary>
internal abstract class PthLayout : IDisposable
{
    /// <summary>The file, as named in errors.</summary>
    public string Source { get; }

    /// <summary>The unpickled object.</summary>
    public object? Root { get; protected set; }

    /// <summary>"zip" (PyTorch 1.6 and later) or "legacy" (<c>_use_new_zipfile_serialization=False</c>).</summary>
    public abstract string Format { get; }

    protected PthLayout(string source) => Source = source;

    /// <summary>Opens <paramref name="path"/>, telling the two layouts apart by their first bytes.</summary>
    public static PthLayout Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such .pth file.", path);
        var head = new byte[4];
        using (var probe = File.OpenRead(path)) head = head[..probe.ReadAtLeast(head, 4, throwOnEndOfStream: false)];
        if (head.Length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return new PthZipLayout(path);
        if (head.Length >= 1 && head[0] == 0x80) return new PthLegacyLayout(path);
        throw new InvalidDataException($"{path}: not a PyTorch file (neither a zip archive nor a pickle; tar files of PyTorch before 0.4 are not read).");
    }

    /// <summary>A new 1-D CPU tensor holding the storage's elements.</summary>
    public Tensor ReadStorage(TorchStorageRef storage)
    {
        long bytes = checked(storage.Numel * TensorBytes.ElementSize(storage.DType));
        using var stream = bytes > 0 ? OpenStorage(storage, bytes) : null;     // checks the length before allocating
        var t = empty(new[] { storage.Numel }, storage.DType);
        try
        {
            if (stream is not null)
            {
                var span = t.bytes;
                stream.ReadExactly(span);
                if (storage.DType == ScalarType.Bool)
                    foreach (var b in span)
                        if (b > 1) throw new InvalidDataException($"{Source}: storage {storage.Key} of bools holds the byte {b}.");
            }
            return t;
        }
        catch (EndOfStreamException)
        {
            t.Dispose();
            throw new InvalidDataException($"{Source}: storage {storage.Key} is truncated (it should hold {bytes} bytes).");
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    /// <summary>A stream positioned on the storage's first byte that holds at least <paramref name="bytes"/> bytes,
    /// or an <see cref="InvalidDataException"/> when the file holds fewer.</summary>
    protected abstract Stream OpenStorage(TorchStorageRef storage, long bytes);

    public abstract void Dispose();
}
