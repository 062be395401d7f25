using System.CommandLine;
using System.Text.Json;
using Folk.Lab.Diagnostics;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench finetune</c>: one fine-tuning step of a ViT-T classifier (forward, cross-entropy, backward, AdamW)
/// in Folk.Lab next to the same step in PyTorch, same shapes, same run.
/// </summary>
internal static class FineTuneBenchmark
{
    /// <summary>The cases by name: (image size, patch size, classes, depth).</summary>
    static readonly Dictionary<string, (int Size, int Patch, int Classes, int Depth)> Cases = new()
    {
        ["vit-t/4@32"] = (32, 4, 10, 12),        // CIFAR / Fashion-MNIST padded to 32: 64 patches, 10 classes
        ["vit-t-d4/8@32"] = (32, 8, 10, 4),      // the supervised sanity run (FinetunePresets.MiniatureFromScratch): 16 patches
        ["vit-t/16@224"] = (224, 16, 1000, 12),  // ImageNet: 196 patches, 1,000 classes
    };

    public static Command Create(CliConsole console)
    {
        var threads = Options.Integer("--threads", "CPU threads for both sides (default: all cores)", Environment.ProcessorCount, 1, 1024);
        var steps = Options.Integer("--steps", "Timed steps per case (the median is reported)", 3, 1, 1000);
        var warmup = Options.Integer("--warmup", "Untimed steps first", 1, 0, 100);
        var batch = Options.Integer("--batch", "Images per step", 16, 1, 4096);
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch side" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (the PyTorch side runs on the same device)", DefaultValueFactory = _ => "cpu" };
        var bf16 = new Option<bool>("--bf16") { Description = "Also time the step with bfloat16 matrix products (on the CPU: what --cpu-precision bfloat16 runs where the CPU multiplies bfloat16 natively) and print its ratio to float32" };
        var only = new Option<string[]>("--case") { Description = $"Cases to run (default: vit-t/4@32): {string.Join(", ", Cases.Keys)}", AllowMultipleArgumentsPerToken = true };
        var command = new Command("finetune",
            "One fine-tuning step of a ViT-T classifier (mean pooling → fc_norm → head, cross-entropy, backward, AdamW): img/s next to the same step in PyTorch.")
        {
            threads, steps, warmup, batch, noReference, device, bf16, only,
        };
        command.SetAction(p =>
        {
            int n = p.GetValue(threads), b = p.GetValue(batch), s = p.GetValue(steps), w = p.GetValue(warmup);
            TorchSharp.torch.set_num_threads(n);
            var names = p.GetValue(only) is { Length: > 0 } chosen ? chosen : new[] { "vit-t/4@32" };
            var unknown = names.FirstOrDefault(name => !Cases.ContainsKey(name));
            if (unknown is not null) throw new ArgumentException($"--case {unknown}: unknown; choose from {string.Join(", ", Cases.Keys)}.");
            var cases = names.Select(name => FineTuneStepCase.VitTiny(Cases[name].Size, Cases[name].Patch, b, Cases[name].Classes, Cases[name].Depth)).ToList();
            var target = Folk.Lab.Runtime.TorchDevices.Resolve(p.GetValue(device)!);
            console.Out.WriteLine($"bench finetune: {target}, {n} CPU thread(s), batch {b}, median of {s} steps after {w} warm-up, float32");
            console.Out.WriteLine("  step: ViT-T (192-d, 12 blocks unless the case says d5) → mean of patch tokens → fc_norm → head → cross-entropy → backward → AdamW (0.9, 0.999, wd 0.05) → zero grads");

            Dictionary<string, double>? reference = null;
            string referenceLabel = "PyTorch";
            if (!p.GetValue(noReference))
            {
                var python = ReferencePython.Find();
                if (python is null) console.Out.WriteLine($"  reference skipped: {ReferencePython.InstallHint}");
                else
                {
                    referenceLabel = $"PyTorch {python.TorchVersion}";
                    var args = new List<string> { "--threads", $"{n}", "--steps", $"{s}", "--warmup", $"{w}", "--device", target.ToString() };
                    foreach (var c in cases)
                    {
                        var e = c.Encoder;
                        args.Add("--case");
                        args.Add($"{c.Name}:{e.ImageSize}:{e.PatchSize}:{e.EmbedDim}:{e.Depth}:{e.Heads}:{e.Classes}:{c.Batch}");
                    }
                    using var json = JsonDocument.Parse(BenchCommand.RunScript(python, "bench_finetune.py", args));
                    reference = json.RootElement.GetProperty("seconds_per_step").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetDouble());
                }
            }

            bool mixed = p.GetValue(bf16);
            console.Out.WriteLine();
            console.Out.WriteLine($"  {"case",-14} {"classes",8} {"Folk.Lab img/s",15} {referenceLabel + " img/s",20} {"ratio",7}{(mixed ? $" {"bfloat16 img/s",15} {"÷ float32",10}" : "")}");
            foreach (var c in cases)
            {
                double ours = FineTuneStepBenchmark.Run(c, target, s, w).ImagesPerSecond;
                var line = $"  {c.Name,-14} {c.Encoder.Classes,8} {ours,15:F1}";
                if (reference is not null && reference.TryGetValue(c.Name, out var seconds))
                    line += $" {c.Batch / seconds,20:F1} {ours / (c.Batch / seconds),6:F2}×";
                else line += $" {"",20} {"",7}";
                if (mixed)
                {
                    double half = FineTuneStepBenchmark.Run(c, target, s, w, bfloat16: true).ImagesPerSecond;
                    line += $" {half,15:F1} {half / ours,9:F2}×";
                }
                console.Out.WriteLine(line);
            }
            if (mixed && target.type == TorchSharp.DeviceType.CPU)
                console.Out.WriteLine($"  (this CPU {(Folk.Lab.Runtime.CpuBFloat16.IsNative ? "multiplies bfloat16 natively" : "emulates bfloat16: training keeps float32 here")})");
            if (reference is not null && target.type == TorchSharp.DeviceType.CPU)
                console.Out.WriteLine("  (Debian's PyTorch uses a generic BLAS; on the CPU its ratio says as much about BLAS as about Folk.Lab.)");
            return 0;
        });
        return command;
    }
}
