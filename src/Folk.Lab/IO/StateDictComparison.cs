namespace Folk.Lab.IO;

/// <summary>How a mapped state dict meets a model's: what the model needs and lacks, what it has no place for, and
/// names present on both sides with different shapes ("name: [1×197×768] in the file, [1×50×768] in the model").</summary>
public sealed record StateDictComparison(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> Mismatched)
{
    /// <summary>True when every name matches with its shape.</summary>
    public bool Exact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;
}
