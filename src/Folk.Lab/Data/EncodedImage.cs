namespace Folk.Lab.Data;

/// <summary>One image file's bytes, not yet decoded, with its label and where it came from.</summary>
/// <param name="Bytes">The file's content (JPEG, PNG or WebP).</param>
/// <param name="Label">Class index, or −1 when unlabelled.</param>
/// <param name="Source">The file's path, for error messages.</param>
public sealed record EncodedImage(byte[] Bytes, int Label, string Source);
