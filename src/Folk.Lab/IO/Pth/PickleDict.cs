namespace Folk.Lab.IO.Pth;

/// <summary>A Python dict (or <c>OrderedDict</c>) rebuilt from a pickle: its items in insertion order.</summary>
internal sealed class PickleDict
{
    readonly Dictionary<object, int> _index = new();

    /// <summary>The items, in the order Python inserted them (a key set twice keeps its first place).</summary>
    public List<KeyValuePair<object, object?>> Items { get; } = new();

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out var i)) Items[i] = new(key, value);
        else { _index[key] = Items.Count; Items.Add(new(key, value)); }
    }

    /// <summary>The value under <paramref name="key"/>, if any.</summary>
    public bool TryGet(object key, out object? value)
    {
        if (_index.TryGetValue(key, out var i)) { value = Items[i].Value; return true; }
        value = null;
        return false;
    }
}
