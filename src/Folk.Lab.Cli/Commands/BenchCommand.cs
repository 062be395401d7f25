using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Folk.Lab.Diagnostics;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab bench</c>: hot paths timed against a reference measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console) => new("bench", "Benchmarks against a reference measured in the same run.")
    {
        Freq(console), Pretrain(console), DataBenchmark.Create(console), FineTuneBenchmark.Create(console), KernelBenchmark.Create(console), RenderBenchmark.Create(console), CorruptionBenchmark.Create(console), DistributedBenchmark.Create(console), PthBenchmark.Create(console),
    };

    /// <summary>The encoders <c>bench pretrain</c> knows, by case name: (model, image size).</summary>
    static readonly Dictionary<string, (string Model, int Size)> PretrainCases = new()
    {
        ["vit-t/16@112"] = ("vit-t", 112),
        ["vit-t/16@224"] = ("vit-t", 224),
        ["vit-s/16@112"] = ("vit-s", 112),
        ["vit-s/16@224"] = ("vit-s", 224),
        ["vit-b/16@224"] = ("vit-b", 224),                 // the GPU issue's case: batch 128, --bf16
    };

    static Command Pretrain(CliConsole console)
    {
        var threads = Options.Integer("--threads", "CPU threads for both sides (default: all cores)", Environment.ProcessorCount, 1, 1024);
        var steps = Options.Integer("--steps", "Timed steps per case (the median is reported)", 3, 1, 1000);
        var warmup = Options.Integer("--warmup", "Untimed steps first", 1, 0, 100);
        var batch = Options.Integer("--batch", "Images per step", 16, 1, 4096);
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch side" };
        var quick = new Option<bool>("--quick") { Description = "Only ViT-T at 112 (seconds, for smoke tests)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (the PyTorch side runs on the same device)", DefaultValueFactory = _ => "cpu" };
        var bf16 = new Option<bool>("--bf16") { Description = "Mixed precision: bfloat16 matmuls and attention on both sides, peak measured in bfloat16" };
        var only = new Option<string[]>("--case") { Description = $"Cases to run (default: the four CPU ones): {string.Join(", ", PretrainCases.Keys)}", AllowMultipleArgumentsPerToken = true };
        var method = Options.Choice("--method", "mfm: MFM against PyTorch; folk: FOLK against MFM on the same model and batch", "mfm", "mfm", "folk");
        var prototypes = Options.Integer("--prototypes", "FOLK: K, outputs of the projection head (DINO: 65536)", 65536, 2);
        var command = new Command("pretrain",
            "One MFM pre-training step of ViT-S/16 and ViT-T/16 at 224 and 112 (CPU by default): img/s, FLOP/s and the fraction of the measured matmul peak, next to the same step in PyTorch; or FOLK's step next to MFM's.")
        {
            threads, steps, warmup, batch, noReference, quick, device, bf16, only, method, prototypes,
        };
        command.SetAction(p =>
        {
            int n = p.GetValue(threads), b = p.GetValue(batch);
            TorchSharp.torch.set_num_threads(n);
            var names = p.GetValue(only) is { Length: > 0 } chosen ? chosen
                : p.GetValue(quick) ? new[] { "vit-t/16@112" } : new[] { "vit-t/16@112", "vit-t/16@224", "vit-s/16@112", "vit-s/16@224" };
            var unknown = names.FirstOrDefault(name => !PretrainCases.ContainsKey(name));
            if (unknown is not null) throw new ArgumentException($"--case {unknown}: unknown; choose from {string.Join(", ", PretrainCases.Keys)}.");
            var cases = names.Select(name => new PretrainBenchmarkCase(name, PretrainCases[name].Model, PretrainCases[name].Size, b)).ToList();
            var target = Folk.Lab.Runtime.TorchDevices.Resolve(p.GetValue(device)!);
            bool mixed = p.GetValue(bf16);
            if (p.GetValue(method) == "folk")
                return FolkAgainstMfm(console, cases, p.GetValue(steps), p.GetValue(warmup), p.GetValue(prototypes), target, mixed);
            var precision = mixed ? "bfloat16 matmuls, float32 weights, FFTs and loss" : "float32";
            double peak = MatmulPeak.Measure(target, dtype: mixed ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32);
            console.Out.WriteLine($"bench pretrain: {target}, {n} CPU thread(s), batch {b}, median of {p.GetValue(steps)} steps after {p.GetValue(warmup)} warm-up");
            console.Out.WriteLine($"  step: corrupt → normalise → ViT → MFM head → masked frequency loss → backward → clip 3.0 → AdamW; {precision}");
            console.Out.WriteLine($"  measured {(mixed ? "bfloat16" : "float32")} matmul peak (2048² products, same libtorch): {peak / 1e9:F1} GFLOP/s");

            Dictionary<string, double>? reference = null;
            string referenceLabel = "PyTorch";
            if (!p.GetValue(noReference))
            {
                var python = ReferencePython.Find();
                if (python is null) console.Out.WriteLine($"  reference skipped: {ReferencePython.InstallHint}");
                else
                {
                    referenceLabel = $"PyTorch {python.TorchVersion}";
                    var args = new List<string> { "--threads", $"{n}", "--steps", $"{p.GetValue(steps)}", "--warmup", $"{p.GetValue(warmup)}", "--device", target.ToString() };
                    if (mixed) args.Add("--bf16");
                    foreach (var c in cases)
                    {
                        args.Add("--case");
                        args.Add($"{c.Name}:{c.Encoder.ImageSize}:{c.Encoder.PatchSize}:{c.Encoder.EmbedDim}:{c.Encoder.Depth}:{c.Encoder.Heads}:{c.Batch}");
                    }
                    using var json = JsonDocument.Parse(RunScript(python, "bench_pretrain.py", args));
                    reference = json.RootElement.GetProperty("seconds_per_step").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetDouble());
                }
            }

            console.Out.WriteLine();
            console.Out.WriteLine($"  {"case",-14} {"GFLOP/img",10} {"Folk.Lab img/s",15} {"GFLOP/s",9} {"of peak",8} {referenceLabel + " img/s",20} {"ratio",7}");
            foreach (var c in cases)
            {
                var t = PretrainBenchmark.Run(c, target, p.GetValue(steps), p.GetValue(warmup), mixed);
                var line = $"  {c.Name,-14} {t.FlopsPerImage / 1e9,10:F2} {t.ImagesPerSecond,15:F2} {t.FlopsPerSecond / 1e9,9:F1} {t.FlopsPerSecond / peak,8:P0}";
                if (reference is not null && reference.TryGetValue(c.Name, out var seconds))
                    line += $" {c.Batch / seconds,20:F2} {t.ImagesPerSecond / (c.Batch / seconds),6:F2}×";
                console.Out.WriteLine(line);
            }
            if (reference is not null && target.type == TorchSharp.DeviceType.CPU)
                console.Out.WriteLine("  (Debian's PyTorch uses a generic BLAS; its ratio says as much about BLAS as about Folk.Lab.)");
            return 0;
        });
        return command;
    }

    /// <summary>FOLK's step next to MFM's on the same model and batch: img/s, peak memory and FLOPs per image, and ratios.</summary>
    static int FolkAgainstMfm(CliConsole console, List<PretrainBenchmarkCase> cases, int steps, int warmup, int prototypes, TorchSharp.torch.Device device, bool bfloat16)
    {
        var folk = new Methods.FolkConfig { Head = new Models.Heads.DinoHeadConfig { OutputDim = prototypes } };
        console.Out.WriteLine($"bench pretrain --method folk: {device}, median of {steps} steps after {warmup} warm-up, {(bfloat16 ? "bfloat16 matmuls" : "float32")}, K = {prototypes:N0}, two views");
        console.Out.WriteLine("  MFM step:  corrupt → ViT → MFM head → masked frequency loss → backward → clip → AdamW");
        console.Out.WriteLine("  FOLK step: Com/RCom-filter 2 views → student ViT (MFM head + projection head) → teacher ViT on the clean views → MFM + distillation loss → backward → clip → AdamW → EMA");
        console.Out.WriteLine("  estimate: FOLK ≈ (2·3 + 2)/3 ≈ 2.7× MFM's work per image");
        console.Out.WriteLine();
        console.Out.WriteLine($"  {"case",-14} {"method",-6} {"img/s",9} {"peak MiB",9} {"GFLOP/img",10} {"time ×MFM",10} {"FLOPs ×MFM",11} {"memory ×MFM",12}");
        foreach (var c in cases)
        {
            var mfm = PretrainBenchmark.Run(c, device, steps, warmup, bfloat16);
            var f = PretrainBenchmark.Run(c with { Method = folk }, device, steps, warmup, bfloat16);
            console.Out.WriteLine($"  {c.Name,-14} {"mfm",-6} {mfm.ImagesPerSecond,9:F2} {mfm.PeakBytes / 1048576.0,9:F0} {mfm.FlopsPerImage / 1e9,10:F2}");
            console.Out.WriteLine($"  {"",-14} {"folk",-6} {f.ImagesPerSecond,9:F2} {f.PeakBytes / 1048576.0,9:F0} {f.FlopsPerImage / 1e9,10:F2} " +
                                  $"{mfm.ImagesPerSecond / f.ImagesPerSecond,9:F2}× {f.FlopsPerImage / mfm.FlopsPerImage,10:F2}× {(double)f.PeakBytes / mfm.PeakBytes,11:F2}×");
        }
        console.Out.WriteLine("  (peak memory: the process's resident high-water mark during each case, weights and optimiser state included)");
        return 0;
    }

    static Command Freq(CliConsole console)
    {
        var batch = Options.Integer("--batch", "Images per batch", 64, 1, 4096);
        var size = Options.Integer("--size", "Image side in pixels", 224, 8, 4096);
        var threads = Options.Integer("--threads", "CPU threads for both sides (default: all cores)", Environment.ProcessorCount, 1, 1024);
        var repeats = Options.Integer("--repeats", "Timed repetitions (the median is reported)", 10, 1, 10_000);
        var warmup = Options.Integer("--warmup", "Untimed repetitions first", 2, 0, 1000);
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch side" };
        var command = new Command("freq",
            "MFM corruption + frequency loss on a B×3×S×S batch on the CPU: Folk.Lab vs the reference formulas in PyTorch.")
        {
            batch, size, threads, repeats, warmup, noReference,
        };
        command.SetAction(p =>
        {
            var options = new FrequencyBenchmarkOptions
            {
                Batch = p.GetValue(batch), Size = p.GetValue(size), Repeats = p.GetValue(repeats), Warmup = p.GetValue(warmup),
            };
            int n = p.GetValue(threads);
            TorchSharp.torch.set_num_threads(n);
            console.Out.WriteLine($"bench freq: {options.Batch}×3×{options.Size}×{options.Size}, {n} thread(s), median of {options.Repeats} after {options.Warmup} warm-up");
            console.Out.WriteLine("  step: corrupt (MFM radial masks) → normalise → masked frequency loss [→ gradient w.r.t. the prediction]");

            var ours = FrequencyBenchmark.Run(options, new LineProgress(console.Error));
            FrequencyTimings? reference = null;
            string referenceLabel = "PyTorch (reference formulas)";
            if (!p.GetValue(noReference))
            {
                var python = ReferencePython.Find();
                if (python is null) console.Out.WriteLine($"  reference skipped: {ReferencePython.InstallHint}");
                else
                {
                    referenceLabel = $"PyTorch {python.TorchVersion} (reference formulas)";
                    reference = RunReference(python, options, n);
                }
            }

            console.Out.WriteLine();
            console.Out.WriteLine($"  {"",-34} {"forward",18} {"forward+backward",18}");
            Row(console, $"Folk.Lab (libtorch via TorchSharp)", ours);
            if (reference is not null)
            {
                Row(console, referenceLabel, reference);
                console.Out.WriteLine($"  {"ratio Folk.Lab / reference",-34} {ours.ForwardImagesPerSecond / reference.ForwardImagesPerSecond,17:F2}× {ours.ForwardBackwardImagesPerSecond / reference.ForwardBackwardImagesPerSecond,17:F2}×");
            }
            return 0;
        });
        return command;
    }

    static void Row(CliConsole console, string label, FrequencyTimings t) =>
        console.Out.WriteLine($"  {label,-34} {t.ForwardImagesPerSecond,12:F1} img/s {t.ForwardBackwardImagesPerSecond,12:F1} img/s" +
                              $"   ({FrequencyTimings.Median(t.Forward) * 1000:F1} / {FrequencyTimings.Median(t.ForwardBackward) * 1000:F1} ms per batch)");

    /// <summary>Runs the embedded reference script (reference/python/bench_freq.py) with the same workload.</summary>
    static FrequencyTimings RunReference(ReferencePythonInfo python, FrequencyBenchmarkOptions options, int threads)
    {
        var stdout = RunScript(python, "bench_freq.py", new[]
        {
            "--batch", $"{options.Batch}", "--size", $"{options.Size}", "--threads", $"{threads}",
            "--repeats", $"{options.Repeats}", "--warmup", $"{options.Warmup}",
        });
        using var json = JsonDocument.Parse(stdout);
        double[] Read(string key) => json.RootElement.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new FrequencyTimings(Read("forward"), Read("forward_backward"), options.Batch);
    }

    /// <summary>Extracts the embedded reference scripts to a temporary folder and runs one; returns its stdout.</summary>
    internal static string RunScript(ReferencePythonInfo python, string script, IEnumerable<string> args)
    {
        var folder = Directory.CreateTempSubdirectory("folk-lab-bench-").FullName;
        try
        {
            var assembly = Assembly.GetExecutingAssembly();
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("reference/", StringComparison.Ordinal)))
            {
                using var resource = assembly.GetManifestResourceStream(name)!;
                using var file = File.Create(Path.Combine(folder, name["reference/".Length..]));
                resource.CopyTo(file);
            }
            var start = new ProcessStartInfo(python.Executable, new[] { Path.Combine(folder, script) }.Concat(args))
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"The PyTorch reference benchmark {script} failed (exit {process.ExitCode}): {stderr.Result}");
            return stdout;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
