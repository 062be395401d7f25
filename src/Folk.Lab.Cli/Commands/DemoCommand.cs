using System.CommandLine;
using Folk.Lab.Cli.Demo;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab demo</c>: the frequency demo on built-in generated images.</summary>
internal static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder", DefaultValueFactory = _ => new DirectoryInfo("folk-lab-demo") };
        var count = Options.Integer("--count", "Images to generate", 8, 1, 256);
        var size = Options.Integer("--size", "Image side in pixels (MFM: 224)", 224, 16, 1024);
        var seed = new Option<long>("--seed") { Description = "Seed of the generator", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Generate natural-image-like pictures, their spectra, and their MFM and FOLK corruptions.")
        {
            output, count, size, seed,
        };
        command.SetAction(p =>
        {
            var folder = p.GetValue(output)!.FullName;
            var progress = new LineProgress(console.Error);
            var started = DateTime.UtcNow;
            var summary = FrequencyDemo.Run(folder, p.GetValue(count), p.GetValue(size), p.GetValue(seed), progress);
            console.Out.WriteLine($"Folk.Lab frequency demo: {p.GetValue(count)} images of {p.GetValue(size)}×{p.GetValue(size)} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
            console.Out.WriteLine($"wrote {summary.Files.Count} files to {folder}:");
            foreach (var file in summary.Files)
                console.Out.WriteLine($"  {Path.GetFileName(file.Path),-20} {Size(new FileInfo(file.Path).Length),9}  {file.Description}");
            console.Out.WriteLine($"radial power spectrum ∝ f^{summary.Slope.Slope:F2} (R² {summary.Slope.RSquared:F3}; natural images: about f^-2)");
            console.Out.WriteLine("kept fraction of the spectrum: " +
                string.Join(", ", summary.KeptFractions.Select(k => $"{k.Key} {k.Value:P2}")));
            return 0;
        });
        return command;
    }

    static string Size(long bytes) => bytes switch
    {
        >= 1 << 20 => $"{bytes / (double)(1 << 20):F1} MiB",
        >= 1 << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
