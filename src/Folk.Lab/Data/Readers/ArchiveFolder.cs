using System.Globalization;

namespace Folk.Lab.Data.Readers;

/// <summary>
/// The folder an official binary archive unpacks to (cifar-10-batches-bin/, cifar-100-binary/, stl10_binary/):
/// finding it, and reading its class-name files (one name per line).
/// </summary>
internal static class ArchiveFolder
{
    /// <summary>
    /// The folder holding <paramref name="marker"/>: <paramref name="root"/> itself, else its
    /// <paramref name="archiveFolder"/> sub-folder; a clear error naming both when neither has it.
    /// </summary>
    public static string Resolve(string root, string archiveFolder, string marker, string dataset)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such folder ({dataset} data expected there).");
        foreach (var candidate in new[] { root, Path.Combine(root, archiveFolder) })
            if (File.Exists(Path.Combine(candidate, marker))) return candidate;
        throw new FileNotFoundException(
            $"{root}: {marker} not found there nor in {archiveFolder}/ (the folder of the official {dataset} binary archive).",
            Path.Combine(root, marker));
    }

    /// <summary>
    /// The names in <paramref name="path"/> when it exists (blank lines skipped), checked to be
    /// <paramref name="count"/>; otherwise "0", "1", … so that labels can still be printed.
    /// </summary>
    public static IReadOnlyList<string> ClassNames(string path, int count)
    {
        if (!File.Exists(path)) return Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != count)
            throw new InvalidDataException($"{path}: holds {names.Length} class names, {count} expected (one per line).");
        return names;
    }
}
