using Folk.Lab.Distributed.Mpi;
using static TorchSharp.torch;

namespace Folk.Lab.Distributed;

/// <summary>Joins the data-parallel job this process was launched into.</summary>
public static class ProcessGroups
{
    /// <summary>
    /// The job's process group for training on <paramref name="device"/>: Open MPI for CPU training under <c>mpirun</c>
    /// or <c>srun</c> (a world of one when started alone); on CUDA, NCCL on GPU <c>LOCAL_RANK</c>, with its id broadcast
    /// by MPI, or, under <c>torchrun</c>, over TCP (<see cref="TcpIdExchange"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The launch cannot train on that device (CPU training under
    /// <c>torchrun</c>, which starts no MPI); the message says how to launch instead.</exception>
    public static IProcessGroup Join(Device device, LaunchEnvironment? launch = null)
    {
        launch ??= LaunchEnvironment.Current();
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            if (!launch.MpiCanJoin)
                return new GpuProcessGroup(new Nccl.NcclProcessGroup(launch.Rank, launch.WorldSize,
                    id => TcpIdExchange.Share(id, launch.Rank, launch.WorldSize, launch.MasterAddress ?? "127.0.0.1", (launch.MasterPort ?? 29500) + 1), launch.LocalRank), null);
            var mpi = JoinMpi(launch);
            try
            {
                return new GpuProcessGroup(new Nccl.NcclProcessGroup(mpi.Rank, mpi.WorldSize, id => ShareOverMpi(mpi, id), launch.LocalRank), mpi);
            }
            catch
            {
                mpi.Dispose();
                throw;
            }
        }
        if (!launch.MpiCanJoin)
            throw new NotSupportedException(
                $"Data-parallel CPU training runs under Open MPI (mpirun -n N folk-lab … --distributed, or srun under Slurm); this process was started by {launch.Launcher}, which starts no MPI.");
        return JoinMpi(launch);
    }

    /// <summary>Where a rank trains when asked for <paramref name="device"/>: "cuda" means its own GPU, <c>cuda:LOCAL_RANK</c>,
    /// in a data-parallel job; anything else as given.</summary>
    public static string DeviceFor(string device, bool distributed, LaunchEnvironment? launch = null) =>
        distributed && device == "cuda" ? $"cuda:{(launch ?? LaunchEnvironment.Current()).LocalRank}" : device;

    static MpiProcessGroup JoinMpi(LaunchEnvironment launch)
    {
        var group = MpiProcessGroup.Initialize();
        if (launch.Launcher != Launcher.None && (group.Rank != launch.Rank || group.WorldSize != launch.WorldSize))
        {
            group.Dispose();
            throw new InvalidOperationException(
                $"MPI says rank {group.Rank} of {group.WorldSize}, the launcher ({launch.Launcher}) rank {launch.Rank} of {launch.WorldSize}: this Open MPI was not started by that launcher (under Slurm, use srun --mpi=pmix).");
        }
        return group;
    }

    static byte[] ShareOverMpi(MpiProcessGroup mpi, byte[] id)
    {
        using var buffer = tensor(id, dtype: ScalarType.Byte);
        mpi.Broadcast(buffer);
        return buffer.data<byte>().ToArray();
    }
}
