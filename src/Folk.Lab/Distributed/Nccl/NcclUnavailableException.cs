namespace Folk.Lab.Distributed.Nccl;

/// <summary>
/// No NCCL library could be loaded. The message lists every candidate <see cref="NcclLibrary"/> tried, in order, with
/// the loader's reason for each, and says how to get one.
/// </summary>
public sealed class NcclUnavailableException : Exception
{
    /// <summary>What to do about it, the last sentence of every message.</summary>
    internal const string Fix =
        "Install PyTorch with CUDA (its wheels ship libnccl.so.2) and point " + Runtime.ExternalLibTorch.EnvironmentVariable +
        " at its torch/lib folder (scripts/gpu/run.sh does), or set " + NcclLibrary.EnvironmentVariable + " to the path of a libnccl.so.2.";

    /// <summary>Each candidate tried, as "path (where it came from): why it did not load".</summary>
    public IReadOnlyList<string> Tried { get; }

    /// <summary>An exception listing <paramref name="tried"/>.</summary>
    public NcclUnavailableException(IReadOnlyList<string> tried)
        : base($"NCCL is not available: {(tried.Count == 0 ? "no candidate to try" : string.Join("; ", tried))}. {Fix}")
    {
        Tried = tried;
    }
}
