using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Folk.Lab.Data.Manifests;

namespace Folk.Lab.Cli.Commands;

/// <summary><c>folk-lab data</c>: checks local copies of real data sets against their manifests (data-manifests/).</summary>
internal static class DataCommand
{
    /// <summary>Exit code when the data set does not match its manifest.</summary>
    public const int ProblemsFound = 1;

    public static Command Create(CliConsole console) => new("data", "Real data sets: check a local copy against its manifest.")
    {
        Verify(console),
    };

    static Command Verify(CliConsole console)
    {
        var manifest = new Argument<FileInfo>("manifest") { Description = "The data set's manifest (data-manifests/*.json)" };
        manifest.Validators.Add(result =>
        {
            var file = result.GetValueOrDefault<FileInfo>();
            if (file is not null && !file.Exists) result.AddError($"manifest '{file}' does not exist.");
        });
        var root = new Option<DirectoryInfo>("--root") { Description = "The folder holding the data set (default: the manifest's default_root)" };
        root.Validators.Add(result =>
        {
            var dir = result.GetValueOrDefault<DirectoryInfo>();
            if (dir is not null && !dir.Exists) result.AddError($"--root '{dir}' does not exist.");
        });
        var threads = Options.Integer("--threads", "Files examined at once (default: all cores)", Environment.ProcessorCount, 1, 1024);
        var command = new Command("verify",
            "Check a data set against its manifest: missing, extra, wrong-size, checksum-mismatch and undecodable files " +
            "(every image of an image folder is decoded). Exit 0 = verified, 1 = problems found, 2 = bad arguments or manifest.")
        {
            manifest, root, threads,
        };
        command.SetAction(p =>
        {
            var m = ManifestReader.Read(p.GetValue(manifest)!.FullName);
            var dir = p.GetValue(root)?.FullName ?? DefaultRoot(m);
            var report = ManifestVerifier.Verify(m, dir, new ProgressLine(console.Error), p.GetValue(threads));
            Print(console.Out, report);
            return report.Verdict == ManifestVerdict.Verified ? 0 : ProblemsFound;
        });
        return command;
    }

    /// <summary>The manifest's default_root when --root is not given; a one-line error when there is none or it is missing.</summary>
    static string DefaultRoot(DatasetManifest m)
    {
        var dir = m.DefaultRoot ?? throw new ArgumentException($"--root is needed: the manifest of {m.Name} gives no default_root.");
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"--root not given, and {m.Name}'s default_root {dir} does not exist; pass --root (the manifest's notes say how to get the data).");
        return dir;
    }

    static void Print(TextWriter output, ManifestReport report)
    {
        output.WriteLine($"data verify {report.Manifest} at {report.Root}: {N(report.FilesChecked)} files examined, " +
                         $"{N(report.ImagesDecoded)} images decoded, {report.BytesRead / 1e6:F1} MB read in {report.Elapsed.TotalSeconds:F1} s");
        foreach (var p in report.Problems)
            output.WriteLine($"  {Kind(p.Kind),-17} {p.Split,-12} {p.Path}: {p.Detail}");
        output.WriteLine(report.Verdict == ManifestVerdict.Verified
            ? "verdict: verified"
            : $"verdict: {N(report.Problems.Count)} problem{(report.Problems.Count == 1 ? "" : "s")} found");
    }

    static string Kind(ManifestProblemKind kind) => kind switch
    {
        ManifestProblemKind.MissingFolder => "missing folder",
        ManifestProblemKind.Missing => "missing",
        ManifestProblemKind.Extra => "extra",
        ManifestProblemKind.WrongSize => "wrong size",
        ManifestProblemKind.ChecksumMismatch => "checksum mismatch",
        ManifestProblemKind.Undecodable => "undecodable",
        _ => "wrong count",
    };

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A progress line on the error stream (stdout stays parseable), at most one a second, and the last.</summary>
    sealed class ProgressLine(TextWriter writer) : IProgress<ManifestProgress>
    {
        readonly Stopwatch _since = Stopwatch.StartNew();
        bool _any;

        public void Report(ManifestProgress value)
        {
            if (_any && value.Done < value.Total && _since.ElapsedMilliseconds < 1000) return;
            _any = true;
            _since.Restart();
            writer.WriteLine($"  … {value.Fraction * 100,5:F1}%  {N(value.Done)}/{N(value.Total)} files, {value.FilesPerSecond:F0} files/s, " +
                             $"{value.BytesRead / 1e6 / Math.Max(value.Elapsed.TotalSeconds, 1e-9):F1} MB/s");
        }
    }
}
