namespace Folk.Lab.Data.Manifests;

/// <summary>The outcome of <see cref="ManifestVerifier.Verify"/>.</summary>
public enum ManifestVerdict
{
    /// <summary>Everything the manifest describes is there, as described.</summary>
    Verified,

    /// <summary>At least one problem was found (see <see cref="ManifestReport.Problems"/>).</summary>
    ProblemsFound,
}

/// <summary>What is wrong with one file or folder.</summary>
public enum ManifestProblemKind
{
    /// <summary>A split's folder does not exist.</summary>
    MissingFolder,

    /// <summary>A listed file (or a file named by an image list) does not exist.</summary>
    Missing,

    /// <summary>A file the manifest does not describe: unlisted in an exclusive folder, or not an image in an image folder.</summary>
    Extra,

    /// <summary>A file's size differs from the manifest's exact size.</summary>
    WrongSize,

    /// <summary>A file's SHA-256 differs from the manifest's.</summary>
    ChecksumMismatch,

    /// <summary>An image that does not decode (corrupt, truncated, or not an image).</summary>
    Undecodable,

    /// <summary>A count differs: images in a folder, class folders, or entries of a list.</summary>
    WrongCount,
}

/// <summary>One problem found.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Split">The split it belongs to.</param>
/// <param name="Path">The file or folder, relative to the root, '/'-separated.</param>
/// <param name="Detail">The specifics: expected and found values, or the decoder's reason.</param>
public sealed record ManifestProblem(ManifestProblemKind Kind, string Split, string Path, string Detail);

/// <summary>The result of checking a data set against its manifest.</summary>
/// <param name="Manifest">The manifest's name.</param>
/// <param name="Root">The folder checked (full path).</param>
/// <param name="Verdict">Verified, or problems found.</param>
/// <param name="Problems">Every problem, in split order, then by path.</param>
/// <param name="FilesChecked">Files examined (listed files, images, list entries).</param>
/// <param name="ImagesDecoded">Images decoded successfully.</param>
/// <param name="BytesRead">Bytes read to hash or decode.</param>
/// <param name="Elapsed">Wall-clock time of the check.</param>
public sealed record ManifestReport(
    string Manifest, string Root, ManifestVerdict Verdict, IReadOnlyList<ManifestProblem> Problems,
    long FilesChecked, long ImagesDecoded, long BytesRead, TimeSpan Elapsed);
