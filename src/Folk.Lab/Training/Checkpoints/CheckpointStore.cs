using System.Globalization;
using System.Text.RegularExpressions;

namespace Folk.Lab.Training.Checkpoints;

/// <summary>
/// The checkpoints of a run folder: <c>checkpoint-00001234.safetensors</c> by step, the last <see cref="Keep"/> kept.
/// Resuming takes the newest checkpoint that reads back whole and skips, with a warning, any that does not.
/// </summary>
public sealed partial class CheckpointStore(string folder, int keep = 3)
{
    /// <summary>The folder holding the checkpoints.</summary>
    public string Folder { get; } = folder;

    /// <summary>How many checkpoints are kept.</summary>
    public int Keep { get; } = keep > 0 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must be >= 1.");

    /// <summary>The path of the checkpoint for <paramref name="step"/>.</summary>
    public string PathFor(long step) => Path.Combine(Folder, $"checkpoint-{step.ToString("D8", CultureInfo.InvariantCulture)}.safetensors");

    /// <summary>Checkpoint files, newest first.</summary>
    public IReadOnlyList<(long Step, string Path)> Files() =>
        !Directory.Exists(Folder) ? Array.Empty<(long, string)>()
        : Directory.GetFiles(Folder, "checkpoint-*.safetensors")
            .Select(p => (Match: Name().Match(Path.GetFileName(p)), Path: p))
            .Where(m => m.Match.Success)
            .Select(m => (long.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture), m.Path))
            .OrderByDescending(f => f.Item1).ToList();

    /// <summary>Saves atomically, then deletes all but the newest <see cref="Keep"/>. Returns the path.</summary>
    public string Save(Checkpoint checkpoint)
    {
        Directory.CreateDirectory(Folder);
        var path = PathFor(checkpoint.Position.Step);
        checkpoint.Save(path);
        foreach (var (_, old) in Files().Skip(Keep)) File.Delete(old);
        return path;
    }

    /// <summary>
    /// The newest checkpoint that loads, or null; <paramref name="warn"/> hears about every one skipped. Temporary
    /// files left by a writer that was killed mid-write are deleted first (one run writes to a folder at a time).
    /// </summary>
    public (Checkpoint Checkpoint, string Path)? LoadLatest(Action<string>? warn = null)
    {
        if (Directory.Exists(Folder))
            foreach (var stale in Directory.GetFiles(Folder, ".checkpoint-*.tmp"))
            {
                File.Delete(stale);
                warn?.Invoke($"removed {Path.GetFileName(stale)}, a checkpoint whose writing was interrupted");
            }
        foreach (var (_, path) in Files())
        {
            try { return (Checkpoint.Load(path), path); }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException or System.Text.Json.JsonException)
            {
                warn?.Invoke($"skipping checkpoint {path}: {e.Message}");
            }
        }
        return null;
    }

    [GeneratedRegex(@"^checkpoint-(\d+)\.safetensors$")]
    private static partial Regex Name();
}
