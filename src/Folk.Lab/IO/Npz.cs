using System.IO.Compression;
using static TorchSharp.torch;

namespace Folk.Lab.IO;

/// <summary>NumPy's <c>.npz</c> archives: a zip of .npy files, one per named array (<c>np.savez</c>).</summary>
public static class Npz
{
    /// <summary>Reads every array of an archive, by name (without the .npy suffix), as CPU tensors.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var arrays = new Dictionary<string, Tensor>();
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var name = entry.FullName[..^4];
                arrays[name] = Npy.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), $"{path}:{entry.FullName}");
            }
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            foreach (var t in arrays.Values) t.Dispose();
            throw new InvalidDataException($"{path}: not a valid .npz (zip) archive: {e.Message}", e);
        }
        catch
        {
            foreach (var t in arrays.Values) t.Dispose();
            throw;
        }
        return arrays;
    }

    /// <summary>The shape of every array of an archive, by name, from the .npy headers alone: no array is read.</summary>
    public static Dictionary<string, long[]> ReadShapes(string path)
    {
        var shapes = new Dictionary<string, long[]>();
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                shapes[entry.FullName[..^4]] = Npy.ReadShape(stream, $"{path}:{entry.FullName}");
            }
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: not a valid .npz (zip) archive: {e.Message}", e);
        }
        return shapes;
    }

    /// <summary>Writes named arrays as an archive, atomically (deflated when <paramref name="compress"/>, like
    /// <c>np.savez_compressed</c>; stored otherwise, like <c>np.savez</c>).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> arrays, bool compress = false)
    {
        AtomicFile.Write(path, s =>
        {
            using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                var entry = zip.CreateEntry(name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var stream = entry.Open();
                Npy.WriteTo(stream, array);
            }
        });
    }
}
