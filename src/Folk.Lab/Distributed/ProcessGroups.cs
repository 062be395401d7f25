using Folk.Lab.Distributed.Mpi;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>Joins the data-parallel job this process was launched into.</summary>
public static class ProcessGroups
{
    /// <summary>
    /// The job's process group for training on <paramref name="device"/>: Open MPI for CPU training under
    /// <c>mpirun</c> or <c>srun</c> (a world of one when started alone).
    /// </summary>
    /// <exception cref="NotSupportedException">The launch cannot train on that device (e.g. CPU training under
    /// <c>torchrun</c>, which starts no MPI); the message says how to launch instead.</exception>
    public static IProcessGroup Join(Device device, LaunchEnvironment? launch = null)
    {
        launch ??= LaunchEnvironment.Current();
        if (device.type == TorchSharp.DeviceType.CPU)
        {
            if (!launch.MpiCanJoin)
                throw new NotSupportedException(
                    $"Data-parallel CPU training runs under Open MPI (mpirun -n N folk-lab … --distributed, or srun under Slurm); this process was started by {launch.Launcher}, which starts no MPI.");
            var group = MpiProcessGroup.Initialize();
            if (launch.Launcher != Launcher.None && (group.Rank != launch.Rank || group.WorldSize != launch.WorldSize))
            {
                group.Dispose();
                throw new InvalidOperationException(
                    $"MPI says rank {group.Rank} of {group.WorldSize}, the launcher ({launch.Launcher}) rank {launch.Rank} of {launch.WorldSize}: this Open MPI was not started by that launcher (under Slurm, use srun --mpi=pmix).");
            }
            return group;
        }
        throw new NotSupportedException($"Data-parallel training on {device} needs NCCL, which is not wired in yet.");
    }
}
