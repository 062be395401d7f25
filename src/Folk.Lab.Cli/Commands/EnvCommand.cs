using System.CommandLine;
using System.Runtime.InteropServices;
using Folk.Lab.Distributed;
using Folk.Lab.Distributed.Nccl;
using Folk.Lab.Runtime;
using TorchSharp;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab env</c>: which libtorch this process runs on and what it can use; the first command to run on a new machine.</summary>
internal static class EnvCommand
{
    public static Command Create(CliConsole console)
    {
        var probe = new Option<bool>("--probe-device") { Description = "Also run a small matmul and FFT on every device found" };
        var probeNccl = new Option<bool>("--probe-nccl") { Description = "Also load NCCL and check all-reduce and broadcast on a one-rank communicator on cuda:0" };
        var probeMpi = new Option<bool>("--probe-mpi") { Description = "Also join the MPI job this process was launched into (mpirun -n N folk-lab env --probe-mpi) and check all-reduce, broadcast and barrier; rank 0 reports" };
        var command = new Command("env", "Show the runtime: .NET, TorchSharp, the libtorch in use, CUDA devices, threads.") { probe, probeNccl, probeMpi };
        command.SetAction(p =>
        {
            if (p.GetValue(probeMpi))
            {
                int mpi = ProbeMpi(console, out bool report);
                if (!report) return mpi;                                      // ranks other than 0 stay quiet
                if (mpi != 0) return mpi;
            }
            var env = TorchDevices.Describe();
            console.Out.WriteLine($".NET {Environment.Version} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
            console.Out.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}");
            console.Out.WriteLine(env.ExternalLibTorch.Count == 0
                ? "libtorch: the bundled CPU build"
                : $"libtorch: external ({ExternalLibTorch.EnvironmentVariable}), loaded {string.Join(", ", env.ExternalLibTorch.Select(Path.GetFileName))} from {Path.GetDirectoryName(env.ExternalLibTorch[0])}");
            console.Out.WriteLine($"CPU threads: {env.Threads}");
            console.Out.WriteLine($"OpenMP wait policy: {OpenMpWaitPolicy.Current ?? "OpenMP's default"}" +
                                  (OpenMpWaitPolicy.ChosenByFolkLab ? $" (Folk.Lab's default; set {OpenMpWaitPolicy.Variable} to choose another)" : ""));
            var budget = YoungGenerationBudget.CurrentBytes is { } bytes ? $"{bytes / 1048576.0:0.#} MiB" : "unknown";
            console.Out.WriteLine(Relaunch.IsChild
                ? $".NET gen0 budget: {budget} (folk-lab restarted itself with {YoungGenerationBudget.Variable}={YoungGenerationBudget.Default}, as for every training verb; set the variable, 0 for the runtime's own, to choose)"
                : YoungGenerationBudget.ChosenByEnvironment
                ? $".NET gen0 budget: {budget} (set by {YoungGenerationBudget.Variable} in the environment)"
                : $".NET gen0 budget: {budget} (the runtime's own)");
            console.Out.WriteLine(env.CudaAvailable ? $"CUDA: {env.CudaDevices} device(s)" : "CUDA: not available");
            if (p.GetValue(probe))
            {
                var devices = new List<string> { "cpu" };
                devices.AddRange(Enumerable.Range(0, env.CudaDevices).Select(i => $"cuda:{i}"));
                foreach (var name in devices)
                {
                    using var scope = torch.NewDisposeScope();
                    var device = TorchDevices.Resolve(name);
                    var x = torch.rand(256, 256, device: device);
                    double trace = x.matmul(x.T).trace().item<float>();
                    double energy = torch.fft.fft2(x).abs().pow(2).sum().item<float>() / (256.0 * 256.0);
                    double direct = x.pow(2).sum().item<float>();
                    console.Out.WriteLine($"  {name}: matmul trace {trace:F2} (= Σx² {direct:F2}), Parseval {energy / direct:F6} (= 1)");
                }
            }
            return p.GetValue(probeNccl) ? ProbeNccl(console) : 0;
        });
        return command;
    }

    /// <summary>Joins the MPI job, runs <see cref="ProcessGroupSelfCheck"/> and, on rank 0, prints what passed
    /// (<paramref name="report"/>: whether this rank goes on to print the environment).</summary>
    static int ProbeMpi(CliConsole console, out bool report)
    {
        report = true;
        try
        {
            using var group = Distributed.Mpi.MpiProcessGroup.Initialize();
            var result = ProcessGroupSelfCheck.Run(group);
            report = group.Rank == 0;
            if (report) console.Out.WriteLine($"{result.Backend}, {result.WorldSize} process(es): {string.Join(", ", result.Passed)}: ok");
            return 0;
        }
        catch (Exception e) when (e is DllNotFoundException or MpiException or InvalidOperationException)
        {
            console.Error.WriteLine($"folk-lab env --probe-mpi: {e.Message}");
            return 1;
        }
    }

    /// <summary>The NCCL self-check on cuda:0: what passed, or the reason on stderr and exit code 1.</summary>
    static int ProbeNccl(CliConsole console)
    {
        NcclSelfCheckResult result;
        try
        {
            result = NcclSelfCheck.Run(cudaDevice: 0);
        }
        catch (Exception e) when (e is NcclUnavailableException or NcclException or InvalidOperationException or ArgumentException)
        {
            console.Error.WriteLine($"folk-lab env --probe-nccl: {e.Message}");
            return 1;
        }
        console.Out.WriteLine($"NCCL {result.Version.ToString(3)} from {result.Library}");
        console.Out.WriteLine($"  cuda:{result.CudaDevice}, 1 rank: {string.Join(", ", result.Passed)}: ok");
        return 0;
    }
}
