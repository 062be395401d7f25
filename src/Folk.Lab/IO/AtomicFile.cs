namespace Folk.Lab.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a torn write: the bytes
/// go to a temporary file in the same folder, are flushed to disk, and the temporary file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> into <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) into <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });
}
