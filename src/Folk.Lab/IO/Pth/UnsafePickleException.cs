namespace Folk.Lab.IO.Pth;

/// <summary>
/// A <c>.pth</c> file asked for something a weights-only load never does: a Python global outside the allowed set
/// (tensors, storages, dtypes, <c>OrderedDict</c>), a call of one that only names a value, or an instance of either.
/// Nothing was imported or run; the file is refused whole, as <c>torch.load(weights_only=True)</c> refuses it.
/// </summary>
public sealed class UnsafePickleException : Exception
{
    /// <summary>Refuses <paramref name="global"/> (<c>module.attribute</c>) found in <paramref name="source"/> under
    /// <paramref name="entry"/> (null: the file's whole object). <paramref name="canSkip"/>: the entry lies outside the
    /// weights, so the message names the conversion that leaves it out.</summary>
    public UnsafePickleException(string source, string global, string request, string? entry, bool canSkip)
        : base($"{source}: refused: the pickle {request} {global}{(entry is null ? "" : $" (in '{entry}')")}, which a weights-only load does not " +
               "allow (only tensors, storages, dtypes and OrderedDict are); nothing was run. " +
               (canSkip
                   ? $"'{entry}' is not part of the weights: to keep only them, convert the file once with " +
                     "'folk-lab weights convert FILE --skip-objects --to safetensors --out WEIGHTS.safetensors' (the object is left unbuilt) and use that file."
                   : "If you trust the file, load it in Python and re-save its state_dict with torch.save."))
    {
        Source = source;
        Global = global;
        Entry = entry;
    }

    /// <summary>The file (and archive member) the pickle came from.</summary>
    public new string Source { get; }

    /// <summary>The refused global, as <c>module.attribute</c>.</summary>
    public string Global { get; }

    /// <summary>Where it stands: a top-level key of a checkpoint (<c>config</c>), a weight's name (<c>model.w</c>),
    /// or null for the file's whole object.</summary>
    public string? Entry { get; }
}
