using System.Diagnostics;
using Folk.Lab.Training;

namespace Folk.Lab.Tests.Cli;

/// <summary>The pretrain command as a user runs it: in its own process, killed and started again.</summary>
public sealed class PretrainCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("folk-lab-pretrain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "folk-lab.dll");

    static string[] Args(string folder) => new[]
    {
        "pretrain", "--method", "mfm", "--model", "vit-t", "--depth", "2", "--image-size", "16", "--patch-size", "4",
        "--epochs", "4", "--batch-size", "8", "--synthetic-count", "48", "--lr", "2e-3", "--warmup-epochs", "1",
        "--checkpoint-every", "1", "--log-every", "1", "--workers", "2", "--out", folder,
    };

    static Process Start(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Cli);
        foreach (var a in Args(folder)) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        return Process.Start(start)!;
    }

    static string RunToEnd(string folder)
    {
        using var p = Start(folder);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {stdout}\n{stderr.Result}");
        return stdout;
    }

    /// <summary>Starts the run and SIGKILLs it once its progress line for iteration <paramref name="iteration"/> appears.</summary>
    static void KillAt(string folder, int iteration)
    {
        using var p = Start(folder);
        _ = p.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = p.StandardError.ReadLine()) != null)
            if (line.Contains($"] {iteration}/")) { p.Kill(); break; }          // Process.Kill sends SIGKILL on Linux
        p.WaitForExit();
        Assert.True(line != null, $"the run ended before iteration {iteration}");
    }

    [Fact]
    public void AKilledRunResumesWithExactlyTheUninterruptedLosses()
    {
        var straight = Path.Combine(_dir, "straight");
        RunToEnd(straight);
        var expected = new MetricsLog(straight).Read().Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(24, expected.Length);                               // 4 epochs × 6 iterations

        var killed = Path.Combine(_dir, "killed");
        foreach (var at in new[] { 3, 11, 17 }) KillAt(killed, at);     // three SIGKILLs, each resumed by the next start
        var output = RunToEnd(killed);
        Assert.Contains("done: 24 iterations", output);
        var resumed = new MetricsLog(killed).Read().Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(expected, resumed);
        Assert.Empty(Directory.GetFiles(Path.Combine(killed, "checkpoints"), "*.tmp"));
    }

    [Fact]
    public void ChangingTheRecipeOfAnExistingRunIsRefusedWithExitCode2()
    {
        var folder = Path.Combine(_dir, "run");
        RunToEnd(folder);
        var r = CliRunner.Run(Args(folder).Select(a => a == "2e-3" ? "1e-3" : a).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("trainer.BaseLearningRate", r.Error);
        r = CliRunner.Run(Args(folder));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("nothing to do", r.Out);
    }

    [Fact]
    public void AShortRunWithTheOfficialTwentyWarmUpEpochsStopsBeforeTrainingAndSaysWhy()
    {
        // --epochs 3 keeps the default --warmup-epochs 20: 40 warm-up iterations in a run of 6
        var folder = Path.Combine(_dir, "short");
        var r = CliRunner.Run("pretrain", "--method", "mfm", "--model", "vit-t", "--depth", "1", "--image-size", "16", "--patch-size", "4",
            "--epochs", "3", "--batch-size", "8", "--synthetic-count", "16", "--workers", "1", "--out", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("40 iterations (TrainerConfig.WarmupEpochs = 20 epochs of 2) against 6 in the whole run (3 epochs)", r.Error);
        Assert.Contains("Set --warmup-epochs", r.Error);
        Assert.False(Directory.Exists(Path.Combine(folder, "checkpoints")), "nothing was trained");
    }

    [Fact]
    public void TheRestorationSettingsFollowSizeScaling()
    {
        double Factor(string scaling)
        {
            var folder = Path.Combine(_dir, $"sr-{scaling}");
            var r = CliRunner.Run("pretrain", "--method", "sr", "--model", "vit-t", "--depth", "1", "--image-size", "32", "--patch-size", "8",
                "--epochs", "1", "--batch-size", "8", "--synthetic-count", "16", "--warmup-epochs", "0.5", "--workers", "1",
                "--size-scaling", scaling, "--out", folder);
            Assert.True(r.ExitCode == 0, r.Out + r.Error);
            using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
            return config.RootElement.GetProperty("experiment").GetProperty("Corruption").GetProperty("Factor").GetDouble();
        }
        Assert.Equal(Math.Pow(8, Math.Log(16) / Math.Log(112)), Factor("matched-energy"), 9);   // 3.39: 32 → 9 → 32
        Assert.Equal(8, Factor("none"));
        Assert.Equal(8.0 * 32 / 224, Factor("proportional"), 9);
    }
}
