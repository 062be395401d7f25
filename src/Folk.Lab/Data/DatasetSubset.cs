namespace Folk.Lab.Data;

/// <summary>Some samples of a dataset, in a given order: a label fraction, an episode's support set.</summary>
public sealed class DatasetSubset : IImageDataset
{
    readonly int[] _indices;

    /// <summary>The dataset the samples come from.</summary>
    public IImageDataset Source { get; }

    /// <summary>The source indices, in this subset's order.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>The samples <paramref name="indices"/> of <paramref name="source"/>; every index must be in range.</summary>
    public DatasetSubset(IImageDataset source, IEnumerable<int> indices)
    {
        Source = source;
        _indices = indices.ToArray();
        foreach (var i in _indices)
            if (i < 0 || i >= source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"index {i} is outside the source's {source.Count} samples.");
    }

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => Source.Classes;

    /// <inheritdoc/>
    public ImageSample Get(int index) => Source.Get(_indices[index]);

    /// <inheritdoc/>
    public int LabelOf(int index) => Source.LabelOf(_indices[index]);
}
