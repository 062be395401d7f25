using Folk.Lab.Distributed;

namespace Folk.Lab.Tests.Distributed;

public class LaunchEnvironmentTests
{
    static LaunchEnvironment From(params (string Name, string Value)[] variables) =>
        LaunchEnvironment.From(variables.ToDictionary(v => v.Name, v => (string?)v.Value));

    [Fact]
    public void OpenMpiSlurmAndTorchrunAreReadFromTheirOwnVariables()
    {
        Assert.Equal(new LaunchEnvironment(Launcher.OpenMpi, 3, 8, 1, 4),
            From(("OMPI_COMM_WORLD_RANK", "3"), ("OMPI_COMM_WORLD_SIZE", "8"), ("OMPI_COMM_WORLD_LOCAL_RANK", "1"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "4")));
        Assert.Equal(new LaunchEnvironment(Launcher.Slurm, 5, 16, 1, 4),
            From(("SLURM_PROCID", "5"), ("SLURM_NTASKS", "16"), ("SLURM_LOCALID", "1"), ("SLURM_TASKS_PER_NODE", "4(x4)")));
        Assert.Equal(new LaunchEnvironment(Launcher.Torchrun, 1, 2, 1, 2, "10.0.0.7", 29501),
            From(("RANK", "1"), ("WORLD_SIZE", "2"), ("LOCAL_RANK", "1"), ("LOCAL_WORLD_SIZE", "2"), ("MASTER_ADDR", "10.0.0.7"), ("MASTER_PORT", "29501")));
        Assert.Equal(new LaunchEnvironment(Launcher.None, 0, 1, 0, 1), From());
    }

    [Fact]
    public void AnMpiLauncherWinsOverTorchrunsVariablesSetForTheWholeCluster()
    {
        var e = From(("RANK", "0"), ("WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_RANK", "1"), ("OMPI_COMM_WORLD_SIZE", "2"));
        Assert.Equal(Launcher.OpenMpi, e.Launcher);
        Assert.Equal((1, 2), (e.Rank, e.WorldSize));
        Assert.True(e.MpiCanJoin);
        Assert.False(From(("RANK", "0"), ("WORLD_SIZE", "4")).MpiCanJoin);
    }

    [Fact]
    public void ABadValueIsAnErrorThatNamesTheVariable()
    {
        var e = Assert.Throws<FormatException>(() => From(("OMPI_COMM_WORLD_RANK", "one"), ("OMPI_COMM_WORLD_SIZE", "2")));
        Assert.Contains("OMPI_COMM_WORLD_RANK='one'", e.Message);
        Assert.Contains("rank 4", Assert.Throws<FormatException>(() => From(("RANK", "4"), ("WORLD_SIZE", "4"))).Message);
    }

    [Fact]
    public void ThreadsShareTheNodesCoresAmongItsProcesses()
    {
        Assert.Equal(4, From(("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "8"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "4")).ThreadsPerProcess(16));
        Assert.Equal(1, From(("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "4")).ThreadsPerProcess(2));
        Assert.Equal(2, From().ThreadsPerProcess(2));
    }
}
