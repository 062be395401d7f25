namespace Folk.Lab.Tests.Support;

/// <summary>
/// Temporary folders a test class makes and removes: a test asks for one with <see cref="New"/>, and the class's
/// <c>Dispose</c> (xUnit calls it after each test) deletes them all, so a failing assertion leaves nothing behind
/// either (a fine-tuning or segmentation run folder holds tens to hundreds of megabytes of checkpoints).
/// </summary>
public sealed class TempFolders : IDisposable
{
    readonly List<string> _folders = [];

    /// <summary>A new empty folder in the temporary folder, named <paramref name="prefix"/> and a random suffix.</summary>
    public string New(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        _folders.Add(folder);
        return folder;
    }

    /// <summary>Deletes every folder made here that still exists.</summary>
    public void Dispose()
    {
        foreach (var folder in _folders)
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        _folders.Clear();
    }
}
