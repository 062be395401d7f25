namespace Folk.Lab.Data;

/// <summary>
/// Which part of every batch a process of a data-parallel job loads: rank <see cref="Rank"/> of
/// <see cref="Processes"/>.
/// </summary>
/// <remarks>
/// The sampling is PyTorch's <c>DistributedSampler</c>'s in what matters: one seeded order per epoch shared by every
/// process, disjoint shards, together the whole epoch (without its last incomplete step, as <c>drop_last</c>). Each
/// process takes a contiguous block of each step's global batch rather than every P-th image, so that the blocks of
/// ranks 0, 1, … laid end to end are exactly the batch one process with batch P·b loads: the per-image randomness a
/// method draws for its batch (<see cref="BatchShard"/>) then lines up image for image, and P processes compute the
/// same steps as one.
/// </remarks>
/// <param name="Rank">This process, 0 ≤ Rank &lt; Processes.</param>
/// <param name="Processes">Processes in the job.</param>
public sealed record ProcessShare(int Rank, int Processes)
{
    /// <summary>A single process: the whole of every batch.</summary>
    public static ProcessShare Whole { get; } = new(0, 1);

    /// <summary>Checks the rank against the job's size.</summary>
    public ProcessShare Validate()
    {
        if (Processes < 1) throw new ArgumentOutOfRangeException(nameof(Processes), Processes, "A job has at least one process.");
        if (Rank < 0 || Rank >= Processes) throw new ArgumentOutOfRangeException(nameof(Rank), Rank, $"The rank must be in [0, {Processes}).");
        return this;
    }
}
