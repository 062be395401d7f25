namespace Folk.Lab.Interactive;

/// <summary>
/// A display area that can be redrawn in place: what a notebook's <c>display(value)</c> returns in Folk.Lab's kernel.
/// Views that change while a cell runs (the training monitor) draw themselves through it.
/// </summary>
public interface ILiveDisplay
{
    /// <summary>Replaces what the area shows with <paramref name="value"/>, formatted like any displayed value.</summary>
    void Update(object? value);
}
