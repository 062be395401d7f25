namespace Folk.Lab.Distributed;

/// <summary>An MPI call returned an error (only reachable where the error handler returns, e.g. in the queries made
/// before a collective).</summary>
public sealed class MpiException(string call, int code, string description)
    : Exception($"{call} failed with MPI error {code}: {description}")
{
    /// <summary>The MPI function that failed.</summary>
    public string Call { get; } = call;

    /// <summary>Its error code.</summary>
    public int Code { get; } = code;
}
