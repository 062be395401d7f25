namespace Folk.Lab.IO.Pth;

/// <summary>
/// A <c>.pth</c> file asked for something a weights-only load never does: a Python global outside the allowed set
/// (tensors, storages, dtypes, <c>OrderedDict</c>), or a call of one that only names a value. Nothing was imported or
/// run; the file is refused whole, as <c>torch.load(weights_only=True)</c> refuses it.
/// </summary>
public sealed class UnsafePickleException : Exception
{
    /// <summary>Refuses <paramref name="global"/> (<c>module.attribute</c>) found in <paramref name="source"/>.</summary>
    public UnsafePickleException(string source, string global, string what)
        : base($"{source}: refused: the pickle {what} {global}, which a weights-only load does not allow (only tensors, " +
               "storages, dtypes and OrderedDict are); nothing was run. If you trust the file, load it in Python and " +
               "re-save its state_dict with torch.save.")
    {
        Source = source;
        Global = global;
    }

    /// <summary>The file (and archive member) the pickle came from.</summary>
    public new string Source { get; }

    /// <summary>The refused global, as <c>module.attribute</c>.</summary>
    public string Global { get; }
}
