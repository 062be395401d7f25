using System.CommandLine;
using System.Diagnostics;
using Folk.Lab.Training;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench distributed</c>: the same pre-training steps (same global batch, same recipe) run by two processes
/// of one thread each under <c>mpirun</c> against one process of two threads, in the same run; img/s is the median of
/// each run's logged windows after its first few (start-up and the first steps excluded).
/// </summary>
internal static class DistributedBenchmark
{
    public static Command Create(CliConsole console)
    {
        var model = Options.Choice("--model", "Encoder", "vit-t", "vit-t", "vit-s", "vit-b");
        var method = Options.Choice("--method", "Pre-training method", "mfm", "mfm", "folk");
        var imageSize = Options.Integer("--image-size", "Input side", 112, 16, 1024);
        var batch = Options.Integer("--batch", "Global batch per step (each of the P processes loads batch / P)", 32, 2, 4096);
        var steps = Options.Integer("--steps", "Steps per run", 24, 6, 10_000);
        var processes = Options.Integer("--processes", "P, processes of one thread each, against one process of P threads", 2, 2, 64);
        var command = new Command("distributed",
            "Data-parallel throughput: P processes × 1 thread (mpirun, gradients all-reduced by Open MPI) against 1 process × P threads, same steps.")
        {
            model, method, imageSize, batch, steps, processes,
        };
        command.SetAction(p =>
        {
            int P = p.GetValue(processes), b = p.GetValue(batch), n = p.GetValue(steps);
            if (b % P != 0) throw new ArgumentException($"--batch {b} must be a multiple of --processes {P}.");
            string mpirun = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "mpirun")).FirstOrDefault(File.Exists)
                            ?? throw new InvalidOperationException("bench distributed needs Open MPI's mpirun: sudo apt-get install openmpi-bin libopenmpi-dev");
            var folder = Directory.CreateTempSubdirectory("folk-lab-bench-distributed-").FullName;
            try
            {
                string[] Recipe(string run, int perProcess) =>
                [
                    "pretrain", "--method", p.GetValue(method)!, "--model", p.GetValue(model)!, "--image-size", $"{p.GetValue(imageSize)}",
                    "--batch-size", $"{perProcess}", "--synthetic-count", $"{b * n}", "--epochs", "1", "--warmup-epochs", "0.1",
                    "--log-every", "1", "--workers", "1", "--prototypes", "4096", "--out", Path.Combine(folder, run),
                ];
                console.Out.WriteLine($"bench distributed: {p.GetValue(method)} on {p.GetValue(model)} at {p.GetValue(imageSize)}², global batch {b}, {n} steps per run, {Environment.ProcessorCount} cores");
                var single = Run(Cli([.. Recipe("single", b), "--threads", $"{P}"]), Path.Combine(folder, "single"));
                var mpi = Cli([.. Recipe("mpi", b / P), "--distributed", "--threads", "1"]);
                var launch = new ProcessStartInfo(mpirun) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { "-n", $"{P}", "--oversubscribe" }) launch.ArgumentList.Add(a);
                if (Environment.UserName == "root") launch.ArgumentList.Add("--allow-run-as-root");
                launch.ArgumentList.Add(mpi.FileName);
                foreach (var a in mpi.ArgumentList) launch.ArgumentList.Add(a);
                var parallel = Run(launch, Path.Combine(folder, "mpi"));
                var averaging = parallel.Output.Split('\n').FirstOrDefault(l => l.StartsWith("gradient averaging:"));
                console.Out.WriteLine($"| run | img/s (median of {single.Windows} windows) |");
                console.Out.WriteLine("|---|---:|");
                console.Out.WriteLine($"| 1 process × {P} threads | {single.ImagesPerSecond:F1} |");
                console.Out.WriteLine($"| {P} processes × 1 thread (Open MPI) | {parallel.ImagesPerSecond:F1} |");
                console.Out.WriteLine($"ratio ({P} processes / 1 process): {parallel.ImagesPerSecond / single.ImagesPerSecond:F2}×");
                if (averaging is not null) console.Out.WriteLine($"{averaging.Trim()}: the most that overlapping it with the backward pass could hide");
                return 0;
            }
            finally { Directory.Delete(folder, recursive: true); }
        });
        return command;
    }

    /// <summary>This folk-lab with <paramref name="args"/>, one compute thread per OpenMP team unless told otherwise.</summary>
    static ProcessStartInfo Cli(string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(DistributedBenchmark).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    static (double ImagesPerSecond, int Windows, string Output) Run(ProcessStartInfo start, string runFolder)
    {
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{output}\n{error.Result}");
        var rates = new MetricsLog(runFolder).Read().Select(e => e.GetProperty("img_s").GetDouble()).Skip(3).Order().ToArray();
        return (rates[rates.Length / 2], rates.Length, output);
    }
}
