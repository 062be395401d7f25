using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Folk.Lab.Corruptions.Common;
using Folk.Lab.Data;
using Folk.Lab.Diagnostics;
using Folk.Lab.IO;
using static TorchSharp.torch;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench corruptions</c>: images/s of every ImageNet-C corruption at one severity, Folk.Lab's batched
/// implementation next to ImageNet-C's own per-image code (restated in reference/python/imagenet_c_*.py with the
/// libraries it uses) on the same images, in the same run.
/// </summary>
internal static class CorruptionBenchmark
{
    public static Command Create(CliConsole console)
    {
        var size = Options.Choice("--size", "Image side: 224 (ImageNet-C's constants) or 32 (CIFAR-10-C's)", "224", "224", "32");
        var images = Options.Integer("--images", "Images per corruption (one batch)", 32, 1, 100_000);
        var severity = Options.Integer("--severity", "Severity 1…5", 3, 1, 5);
        var threads = Options.Integer("--threads", "CPU threads on both sides (libtorch's intra-op threads; OpenCV's and BLAS's)", 1, 1, 1024);
        var repeats = Options.Integer("--repeats", "Timed passes over the batch on each side; the fastest is reported", 3, 1, 100);
        var noReference = new Option<bool>("--no-reference") { Description = "Skip ImageNet-C's Python code" };
        var command = new Command("corruptions",
            "ImageNet-C corruptions img/s (one batch, generated images): Folk.Lab vs ImageNet-C's own Python code on the same images.")
        {
            size, images, severity, threads, repeats, noReference,
        };
        command.SetAction(p =>
        {
            int side = int.Parse(p.GetValue(size)!, System.Globalization.CultureInfo.InvariantCulture), n = p.GetValue(images), s = p.GetValue(severity), t = p.GetValue(threads);
            int previousThreads = get_num_threads();
            set_num_threads(t);
            try
            {
                return Run(console, side, n, s, t, p.GetValue(repeats), p.GetValue(noReference));
            }
            finally
            {
                set_num_threads(previousThreads);
            }
        });
        return command;
    }

    /// <summary>The benchmark proper, with libtorch already on <paramref name="t"/> threads.</summary>
    static int Run(CliConsole console, int side, int n, int s, int t, int repeats, bool skipReference)
    {
        using var generator = new Generator(0);
        using var batch = DeadLeaves.Generate(n, side, generator);
        console.Out.WriteLine($"bench corruptions: {n} dead-leaves image(s) of {side}×{side}, severity {s}, {t} thread(s) on each side, " +
                              $"fastest of {repeats} pass(es) over the batch after a one-image warm-up (the machine's other load only slows a pass down)");
        console.Out.WriteLine("  Folk.Lab: CommonCorruptions.Apply on the batch; reference: ImageNet-C's functions image by image (reference/python/imagenet_c_*.py)");

        var ours = new Dictionary<CommonCorruption, double>();
        foreach (var corruption in CommonCorruptions.All.Where(CommonCorruptions.IsImplemented))
            ours[corruption] = TimeOurs(corruption, batch, s, repeats);

        JsonElement? reference = null;
        string referenceNote = "";
        if (!skipReference)
        {
            var python = ReferencePython.Find();
            if (python is null) referenceNote = $"reference skipped: {ReferencePython.InstallHint}";
            else reference = RunReference(python, batch, s, t, repeats);
        }
        if (reference is { } r && r.TryGetProperty("versions", out var versions))
            console.Out.WriteLine("  reference libraries: " + string.Join(", ", versions.EnumerateObject().Select(v => $"{v.Name} {v.Value.GetString()}")));
        if (referenceNote.Length > 0) console.Out.WriteLine("  " + referenceNote);

        console.Out.WriteLine();
        console.Out.WriteLine($"  {"corruption",-18} {"family",-8} {"Folk.Lab img/s",15} {"ImageNet-C img/s",17} {"ratio",8}");
        foreach (var corruption in CommonCorruptions.All)
        {
            string name = corruption.Name();
            var line = $"  {name,-18} {corruption.FamilyOf().ToString().ToLowerInvariant(),-8} ";
            line += ours.TryGetValue(corruption, out var seconds) ? $"{n / seconds,15:F1} " : $"{"not implemented",15} ";
            if (reference is { } json)
            {
                if (json.GetProperty("seconds").TryGetProperty(name, out var theirs))
                {
                    double rate = n / theirs.GetDouble();
                    line += $"{rate,17:F1} ";
                    if (ours.TryGetValue(corruption, out var mine)) line += $"{n / mine / rate,7:F2}×";
                }
                else if (json.GetProperty("errors").TryGetProperty(name, out var why))
                    line += $"  reference: {why.GetString()}";
            }
            console.Out.WriteLine(line.TrimEnd());
        }
        return 0;
    }

    /// <summary>Seconds for one batch, the fastest of <paramref name="repeats"/> passes after a one-image warm-up.</summary>
    static double TimeOurs(CommonCorruption corruption, Tensor batch, int severity, int repeats)
    {
        using var generator = new Generator(1);
        using (var first = batch.narrow(0, 0, 1))
        using (CommonCorruptions.Apply(corruption, first, severity, generator)) { }
        double fastest = double.PositiveInfinity;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using (CommonCorruptions.Apply(corruption, batch, severity, generator)) { }
            fastest = Math.Min(fastest, clock.Elapsed.TotalSeconds);
        }
        return fastest;
    }

    /// <summary>Runs the embedded reference/python/bench_corruptions.py on the same images; returns its JSON.</summary>
    static JsonElement RunReference(ReferencePythonInfo python, Tensor batch, int severity, int threads, int repeats)
    {
        var folder = Directory.CreateTempSubdirectory("folk-lab-bench-corruptions-").FullName;
        try
        {
            var file = Path.Combine(folder, "images.npy");
            Npy.Write(file, batch);
            var args = new List<string> { "--images", file, "--severity", $"{severity}", "--threads", $"{threads}", "--repeats", $"{repeats}" };
            foreach (var corruption in CommonCorruptions.All)
            {
                args.Add("--corruption");
                args.Add($"{corruption.Name()}:{corruption.FamilyOf().ToString().ToLowerInvariant()}");
            }
            using var json = JsonDocument.Parse(BenchCommand.RunScript(python, "bench_corruptions.py", args));
            return json.RootElement.Clone();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
