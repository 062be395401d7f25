using System.CommandLine;
using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Install;

namespace Folk.Lab.Cli.Commands;

/// <summary>
/// <c>folk-lab bench kernel</c>: this kernel next to python3-ipykernel through the same client (jupyter_client), in the
/// same run: start → kernel_info_reply, and the <c>1+1</c> round trip; medians side by side with the ratio. F# and
/// Python cells are timed too: the first <c>#!fsharp</c> cell (it starts the F# session) and the first <c>#!python</c>
/// cell (it starts the Python kernel) next to ipykernel's own start, and each language's <c>1+1</c> round trip next to
/// ipykernel's; and a slider widget moved from the client (comm_msg → handler → idle) next to ipywidgets' in ipykernel.
/// </summary>
internal static class KernelBenchmark
{
    const string Python = "/usr/bin/python3";

    public static Command Create(CliConsole console)
    {
        var starts = Options.Integer("--starts", "Kernel starts per kernel (median reported)", 5, 1, 100);
        var trips = Options.Integer("--trips", "1+1 round trips per start", 50, 1, 10000);
        var reference = new Option<string>("--reference") { Description = "The kernelspec to compare with", DefaultValueFactory = _ => "python3" };
        var command = new Command("kernel", "Kernel readiness and 1+1 round trip through jupyter_client, ours vs ipykernel.") { starts, trips, reference };
        command.SetAction(p =>
        {
            if (!File.Exists(Python))
                throw new FileNotFoundException($"{Python} not found: install Debian's Jupyter clients (apt-get install -y jupyter-client python3-ipykernel).");
            var root = Directory.CreateTempSubdirectory("folk-lab-bench-kernel-").FullName;
            try
            {
                var data = Path.Combine(root, "share", "jupyter");
                KernelSpec.Install(data, "folk-csharp-bench", "C# (Folk.Lab, bench)", KernelSpec.LauncherArgv());
                var script = Path.Combine(root, "bench_kernel.py");
                using (var resource = typeof(KernelBenchmark).Assembly.GetManifestResourceStream("reference/bench_kernel.py")!)
                using (var file = File.Create(script)) resource.CopyTo(file);
                var start = new System.Diagnostics.ProcessStartInfo(Python,
                    [script, "--kernels", "folk-csharp-bench", p.GetValue(reference)!, "--polyglot", "folk-csharp-bench", "--starts", $"{p.GetValue(starts)}", "--trips", $"{p.GetValue(trips)}"])
                {
                    RedirectStandardOutput = true, RedirectStandardError = true,
                };
                start.Environment["JUPYTER_PATH"] = data;
                start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime");
                using var process = System.Diagnostics.Process.Start(start)!;
                var error = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0) throw new InvalidOperationException($"bench_kernel.py failed:\n{error.Result}");
                var results = JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsObject();
                Report(console, results, "folk-csharp-bench", p.GetValue(reference)!, p.GetValue(starts), p.GetValue(trips));
                return 0;
            }
            finally { Directory.Delete(root, recursive: true); }
        });
        return command;
    }

    static void Report(CliConsole console, JsonObject results, string ours, string theirs, int starts, int trips)
    {
        double Median(string kernel, string key)
        {
            var values = results[kernel]![key]!.AsArray().Select(v => v!.GetValue<double>()).Order().ToList();
            return values[values.Count / 2];
        }
        console.Out.WriteLine($"bench kernel: jupyter_client, {starts} start(s) per kernel, {trips} round trips per start; medians");
        console.Out.WriteLine($"  {"",-34} {"Folk.Lab C#",12} {theirs,12} {"ratio",7}");
        double readyOurs = Median(ours, "ready_s"), readyTheirs = Median(theirs, "ready_s");
        double tripOurs = Median(ours, "trip_ms"), tripTheirs = Median(theirs, "trip_ms");
        console.Out.WriteLine($"  {"start → kernel_info_reply (s)",-34} {readyOurs,12:F3} {readyTheirs,12:F3} {readyOurs / readyTheirs,7:F2}");
        console.Out.WriteLine($"  {"1+1 round trip (ms)",-34} {tripOurs,12:F2} {tripTheirs,12:F2} {tripOurs / tripTheirs,7:F2}");
        if (results[ours]!["widget_ms"]!.AsArray().Count > 0 && results[theirs]!["widget_ms"]!.AsArray().Count > 0)
        {
            double widgetOurs = Median(ours, "widget_ms"), widgetTheirs = Median(theirs, "widget_ms");
            console.Out.WriteLine($"  {"slider move → handler → idle (ms)",-34} {widgetOurs,12:F2} {widgetTheirs,12:F2} {widgetOurs / widgetTheirs,7:F2}");
        }
        else console.Out.WriteLine($"  slider move: not timed ({theirs} has no ipywidgets; apt-get install python3-ipywidgets)");
        foreach (var language in new[] { "fsharp", "python" })
        {
            double start = Median(ours, $"{language}_start_s"), trip = Median(ours, $"{language}_trip_ms");
            console.Out.WriteLine($"  {$"#!{language} first cell (s) vs start",-34} {start,12:F3} {readyTheirs,12:F3} {start / readyTheirs,7:F2}");
            console.Out.WriteLine($"  {$"#!{language} 1+1 round trip (ms)",-34} {trip,12:F2} {tripTheirs,12:F2} {trip / tripTheirs,7:F2}");
        }
        console.Out.WriteLine($"  targets: ready ≤ 3 s ({(readyOurs <= 3 ? "met" : "missed")}); round trip no slower than {theirs} ({(tripOurs <= tripTheirs ? "met" : "missed")})");
    }
}
