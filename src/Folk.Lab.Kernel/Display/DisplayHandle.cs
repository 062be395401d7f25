namespace Folk.Lab.Kernel.Display;

/// <summary>
/// What <c>display(value)</c> returns: the id of one display area, so a later <see cref="Update"/> replaces what it shows
/// (update_display_data with the same transient display_id), e.g. a live training curve.
/// </summary>
public sealed class DisplayHandle : Folk.Lab.Interactive.ILiveDisplay
{
    readonly Action<MimeBundle, string> _update;

    internal DisplayHandle(string displayId, Action<MimeBundle, string> update)
    {
        DisplayId = displayId;
        _update = update;
    }

    /// <summary>The transient display_id shared by the first display and its updates.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the displayed value with <paramref name="value"/>.</summary>
    public void Update(object? value) => _update(DisplayFormatting.BundleFor(value), DisplayId);

    /// <summary>Shows the id rather than the handle's type name when a cell ends with a display call.</summary>
    public override string ToString() => $"display {DisplayId}";
}
