using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Folk.Lab.Diagnostics;
using Folk.Lab.IO.Pth;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench pth</c>: reading a ViT-sized <c>.pth</c> state dict with <see cref="Pth.Read"/> next to
/// <c>torch.load(weights_only=True)</c> of the same file, in the same run; and what opening a weights file as an encoder
/// reads (<see cref="Pth.Inspect"/>: the pickle alone) against reading its weights.
/// </summary>
internal static class PthBenchmark
{
    public static Command Create(CliConsole console)
    {
        var model = Options.Choice("--model", "Whose state dict to write and read (vit-b: 86 M parameters, 343 MB)", "vit-b", "vit-t", "vit-s", "vit-b");
        var repeats = Options.Integer("--repeats", "Timed reads per side (the fastest and the median are reported)", 3, 1, 100);
        var threads = Options.Integer("--threads", "CPU threads for both sides (default: all cores)", Environment.ProcessorCount, 1, 1024);
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch side" };
        var command = new Command("pth",
            "Read a float32 ViT state dict written as .pth (zip layout): GB/s of Folk.Lab's weights-only reader next to torch.load(weights_only=True). " +
            "The file is read once untimed first, so both sides read it from the page cache.")
        {
            model, repeats, threads, noReference,
        };
        command.SetAction(p =>
        {
            int n = p.GetValue(threads), r = p.GetValue(repeats);
            TorchSharp.torch.set_num_threads(n);
            var name = p.GetValue(model)!;
            var folder = Directory.CreateTempSubdirectory("folk-lab-bench-pth-").FullName;
            try
            {
                var path = Path.Combine(folder, name + ".pth");
                using (var encoder = Models.ModelCatalog.Create(name, 224))
                    Pth.Write(path, encoder.state_dict());
                long bytes = new FileInfo(path).Length;
                console.Out.WriteLine($"bench pth: {name} state dict, {bytes / 1e6:F1} MB (zip layout, float32), {n} CPU thread(s), fastest and median of {r} read(s) after one untimed read");

                Read(path);
                var seconds = Timed(r, () => Read(path));
                Report(console, "Folk.Lab Pth.Read", bytes, seconds);
                var inspect = Timed(r, () => Pth.Inspect(path));
                console.Out.WriteLine($"  {"Folk.Lab Pth.Inspect (names, shapes)",-46} median {Median(inspect) * 1e3,8:F2} ms: " +
                                      $"opening a weights file costs 1/{Median(seconds) / Median(inspect):F0} of reading it");

                if (!p.GetValue(noReference))
                {
                    var python = ReferencePython.Find();
                    if (python is null) console.Out.WriteLine($"  reference skipped: {ReferencePython.InstallHint}");
                    else
                    {
                        using var json = JsonDocument.Parse(BenchCommand.RunScript(python, "bench_pth.py",
                            new[] { "--file", path, "--repeats", $"{r}", "--threads", $"{n}" }));
                        var reference = json.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToList();
                        Report(console, $"PyTorch {python.TorchVersion} torch.load(weights_only=True)", bytes, reference);
                        var unrestricted = json.RootElement.GetProperty("seconds_default").EnumerateArray().Select(e => e.GetDouble()).ToList();
                        Report(console, $"PyTorch {python.TorchVersion} torch.load (runs any pickle)", bytes, unrestricted);
                        console.Out.WriteLine($"  ratio (median, Folk.Lab / PyTorch time): {Median(seconds) / Median(reference):F2}");
                    }
                }
                return 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }

    static List<double> Timed(int repeats, Action action)
    {
        var seconds = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        return seconds;
    }

    static void Read(string path)
    {
        var checkpoint = Pth.Read(path);
        foreach (var t in checkpoint.Tensors.Values) t.Dispose();
    }

    static void Report(CliConsole console, string label, long bytes, List<double> seconds) =>
        console.Out.WriteLine($"  {label,-46} fastest {seconds.Min() * 1e3,8:F1} ms ({bytes / 1e9 / seconds.Min():F2} GB/s)   " +
                              $"median {Median(seconds) * 1e3,8:F1} ms ({bytes / 1e9 / Median(seconds):F2} GB/s)");

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
