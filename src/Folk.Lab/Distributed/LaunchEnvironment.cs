using System.Collections;

namespace Folk.Lab.Distributed;

/// <summary>Who started the processes of a data-parallel job.</summary>
public enum Launcher
{
    /// <summary>No launcher: a single process.</summary>
    None,

    /// <summary>Open MPI's <c>mpirun</c> / <c>mpiexec</c> (<c>OMPI_COMM_WORLD_*</c>).</summary>
    OpenMpi,

    /// <summary>Slurm's <c>srun</c> (<c>SLURM_PROCID</c>, <c>SLURM_NTASKS</c>, <c>SLURM_LOCALID</c>), with PMIx for MPI.</summary>
    Slurm,

    /// <summary>PyTorch's <c>torchrun</c> (<c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>, <c>MASTER_ADDR</c>, <c>MASTER_PORT</c>).</summary>
    Torchrun,
}

/// <summary>
/// What a process learns about its job from the environment its launcher set: the launcher, its rank, the job's size,
/// its rank on its node (which GPU it takes), how many of the job's processes share its node (how many threads each
/// gets) and, for <c>torchrun</c>, where rank 0 listens.
/// </summary>
/// <remarks>Checked in this order: Open MPI, Slurm, torchrun; an MPI launcher wins over torchrun's variables, which
/// some clusters set globally.</remarks>
public sealed record LaunchEnvironment(Launcher Launcher, int Rank, int WorldSize, int LocalRank, int LocalSize, string? MasterAddress = null, int? MasterPort = null)
{
    /// <summary>Reads this process's environment.</summary>
    public static LaunchEnvironment Current() => From(Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value));

    /// <summary>Reads <paramref name="variables"/> (a process environment).</summary>
    /// <exception cref="FormatException">A launcher's variable is not a number, or a rank is out of range; the message names it.</exception>
    public static LaunchEnvironment From(IReadOnlyDictionary<string, string?> variables)
    {
        string? Get(string name) => variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        int Number(string name, int fallback = 0)
        {
            var text = Get(name);
            if (text is null) return fallback;
            return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 0
                ? value : throw new FormatException($"The launcher's variable {name}='{text}' is not a non-negative integer.");
        }
        LaunchEnvironment Checked(LaunchEnvironment e) =>
            e.WorldSize >= 1 && e.Rank < e.WorldSize ? e
            : throw new FormatException($"{e.Launcher}: rank {e.Rank} is not in a job of {e.WorldSize} process(es).");

        if (Get("OMPI_COMM_WORLD_SIZE") is not null)
            return Checked(new(Launcher.OpenMpi, Number("OMPI_COMM_WORLD_RANK"), Number("OMPI_COMM_WORLD_SIZE"), Number("OMPI_COMM_WORLD_LOCAL_RANK"), Number("OMPI_COMM_WORLD_LOCAL_SIZE", 1)));
        if (Get("SLURM_PROCID") is not null && Get("SLURM_NTASKS") is not null)
            return Checked(new(Launcher.Slurm, Number("SLURM_PROCID"), Number("SLURM_NTASKS"), Number("SLURM_LOCALID"), LeadingNumber(Get("SLURM_TASKS_PER_NODE"))));
        if (Get("WORLD_SIZE") is not null && Get("RANK") is not null)
            return Checked(new(Launcher.Torchrun, Number("RANK"), Number("WORLD_SIZE"), Number("LOCAL_RANK"), Number("LOCAL_WORLD_SIZE", 1), Get("MASTER_ADDR") ?? "127.0.0.1", Number("MASTER_PORT", 29500)));
        return new(Launcher.None, 0, 1, 0, 1);
    }

    /// <summary>Slurm's tasks per node ("4(x2),3" → 4): the first node's count, 1 when absent.</summary>
    static int LeadingNumber(string? text)
    {
        var digits = new string((text ?? "").TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out int n) && n > 0 ? n : 1;
    }

    /// <summary>Compute threads for this process: the node's cores shared evenly among the job's processes on it.</summary>
    public int ThreadsPerProcess(int cores) => Math.Max(1, cores / Math.Max(1, LocalSize));

    /// <summary>Whether Open MPI can join this job (it was started by an MPI launcher, or is a single process: MPI's
    /// singleton start).</summary>
    public bool MpiCanJoin => Launcher is Launcher.OpenMpi or Launcher.Slurm or Launcher.None;
}
