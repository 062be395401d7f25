using System.Diagnostics;
using System.Text.Json;
using Folk.Lab.Diagnostics;
using Folk.Lab.IO;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Support;

/// <summary>
/// One long-lived Debian-PyTorch process (reference/python/serve.py) shared by all parity tests: each call writes
/// its inputs as .npz, asks for an operation of reference/python/mfm_reference.py, and reads the outputs back.
/// Calls are serialised; the process starts on first use and lives as long as the test run.
/// </summary>
public static class PyTorchReference
{
    static readonly object Gate = new();
    static Process? _process;
    static readonly string Folder = Directory.CreateTempSubdirectory("folk-lab-parity-").FullName;
    static int _counter;
    static readonly System.Text.StringBuilder Errors = new();

    public static Dictionary<string, Tensor> Call(string op, IReadOnlyDictionary<string, Tensor> inputs, object? parameters = null)
    {
        lock (Gate)
        {
            var process = Start();
            int id = ++_counter;
            var input = Path.Combine(Folder, $"in{id}.npz");
            var output = Path.Combine(Folder, $"out{id}.npz");
            Npz.Write(input, inputs);
            var request = JsonSerializer.Serialize(new { op, inputs = input, output, @params = parameters ?? new { } });
            process.StandardInput.WriteLine(request);
            process.StandardInput.Flush();
            var reply = process.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException("The PyTorch reference process exited: " + Errors);
            if (reply != "ok") throw new InvalidOperationException($"PyTorch reference failed on '{op}': {reply}");
            var result = Npz.Read(output);
            File.Delete(input);
            File.Delete(output);
            return result;
        }
    }

    static Process Start()
    {
        if (_process is { HasExited: false }) return _process;
        var python = ReferencePython.Find() ?? throw new InvalidOperationException(ReferencePython.InstallHint);
        var script = Path.Combine(RepositoryRoot.Path, "reference", "python", "serve.py");
        var start = new ProcessStartInfo(python.Executable, new[] { "-u", script })
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Errors) Errors.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        var ready = _process.StandardOutput.ReadLine();
        if (ready != "ready")
            throw new InvalidOperationException($"The PyTorch reference did not start ({ready}): {Errors}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        };
        return _process;
    }
}
