namespace Folk.Lab.Data.Manifests;

/// <summary>Progress of <see cref="ManifestVerifier.Verify"/>, reported after each file.</summary>
/// <param name="Done">Files examined so far.</param>
/// <param name="Total">Files to examine in all (known once the folders are listed).</param>
/// <param name="BytesRead">Bytes read so far.</param>
/// <param name="Elapsed">Time since the check started.</param>
/// <param name="Current">The file just examined, relative to the root.</param>
public sealed record ManifestProgress(long Done, long Total, long BytesRead, TimeSpan Elapsed, string Current)
{
    /// <summary>Done / Total in [0, 1] (1 when there is nothing to do).</summary>
    public double Fraction => Total == 0 ? 1 : (double)Done / Total;

    /// <summary>Files examined per second so far.</summary>
    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}
