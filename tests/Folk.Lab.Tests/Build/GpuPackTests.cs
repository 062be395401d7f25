using System.Diagnostics;
using Folk.Lab.Tests.Support;

namespace Folk.Lab.Tests.Build;

/// <summary>
/// The GPU pack (scripts/gpu/pack.sh) on the CPU: it publishes without a libtorch, stays small enough to carry, and
/// the unpacked command runs on a libtorch from elsewhere (here the CPU libtorch next to these tests, standing in for
/// a PyTorch installation's torch/lib), through the same FOLK_LAB_LIBTORCH path a GPU machine uses.
/// </summary>
public class GpuPackTests
{
    static (int Code, string Output) Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, string? directory = null)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? RepositoryRoot.Path };
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{file} {string.Join(' ', args)} took over 10 minutes."); }
        return (process.ExitCode, stdout + stderr.Result);
    }

    [ToolFact("xz")]
    [Trait("Category", "Packaging")]
    public void PackRunsOnAnExternalLibTorchAndCarriesNone()
    {
        var work = Directory.CreateTempSubdirectory("folk-lab-pack-").FullName;
        try
        {
            var (code, output) = Run("bash", new[] { "scripts/gpu/pack.sh", work });
            Assert.True(code == 0, output);
            var archive = Path.Combine(work, "folk-lab-linux-x64.tar.xz");
            long bytes = new FileInfo(archive).Length;
            Assert.InRange(bytes, 5L << 20, 60L << 20);                                    // the device carry allows 64 MiB in all

            var unpacked = Path.Combine(work, "unpacked");
            Directory.CreateDirectory(unpacked);
            (code, output) = Run("tar", new[] { "-xJf", archive, "-C", unpacked });
            Assert.True(code == 0, output);
            var folder = Path.Combine(unpacked, "folk-lab");
            Assert.Empty(Directory.EnumerateFiles(folder, "libtorch*.so", SearchOption.AllDirectories));
            Assert.Single(Directory.EnumerateFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories));

            var libtorch = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
            Assert.True(File.Exists(Path.Combine(libtorch, "libtorch_cpu.so")), $"the test build's libtorch is missing from {libtorch}");
            (code, output) = Run(Path.Combine(folder, "run.sh"), new[] { "env", "--probe-device" },
                new Dictionary<string, string> { ["FOLK_LAB_LIBTORCH"] = libtorch }, directory: work);
            Assert.True(code == 0, output);
            Assert.Contains("libtorch: external (FOLK_LAB_LIBTORCH)", output);
            Assert.Contains("Parseval 1.000000", output);

            // the NCCL check travels in the pack; on this GPU-less machine it must fail, saying why
            Assert.True(File.Exists(Path.Combine(folder, "nccl-check.sh")), "pack.sh must carry nccl-check.sh");
            (code, output) = Run(Path.Combine(folder, "nccl-check.sh"), Array.Empty<string>(),
                new Dictionary<string, string> { ["FOLK_LAB_LIBTORCH"] = libtorch }, directory: work);
            Assert.Equal(1, code);
            Assert.Contains("folk-lab env --probe-nccl: ", output);
            Assert.Matches("NCCL is not available|NCCL collectives need CUDA", output);

            (code, output) = Run(Path.Combine(folder, "run.sh"), new[] { "env" },
                new Dictionary<string, string> { ["FOLK_LAB_LIBTORCH"] = Path.Combine(work, "nowhere") }, directory: work);
            Assert.Equal(2, code);
            Assert.Contains("does not exist", output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
