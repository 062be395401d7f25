namespace Folk.Lab.Data;

/// <summary>An image that cannot be read or decoded. The message names the file and what is wrong with it.</summary>
public sealed class ImageDecodeException(string source, string reason, Exception? inner = null)
    : Exception($"{source}: {reason}", inner)
{
    /// <summary>The file (or record) that failed.</summary>
    public string SourceName { get; } = source;
}
