using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace Folk.Lab.Kernel.Languages;

/// <summary>Why a Python cell could not run: no Python kernel could be started, or it died.</summary>
public sealed class PythonKernelException(string message) : Exception(message);

/// <summary>
/// The Python of <c>#!python</c> cells: an ipykernel process that Folk.Lab's kernel starts and drives as a Jupyter
/// client (messaging protocol 5.3 over a connection file of its own), so Python cells run the machine's
/// <c>python3</c> with its PyTorch, keep their state from cell to cell, and stream their outputs into the notebook as
/// they come. Its <c>input()</c> is answered through the cell's <see cref="ICellInput"/>; an interrupt reaches it as
/// SIGINT (ipykernel's <c>interrupt_mode</c> "signal"); disposing sends shutdown_request and waits for the process.
/// One cell at a time, from one thread: the sockets are used only by the thread that runs the cell.
/// </summary>
public sealed class PythonKernel : IDisposable
{
    /// <summary>How to get a Python kernel where none starts.</summary>
    public const string InstallHint = "Python cells need python3 with ipykernel: 'apt-get install python3-ipykernel' (Debian) or 'python3 -m pip install ipykernel'.";

    /// <summary>How long the kernel has to answer kernel_info after it starts.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    readonly Process _process;
    readonly string _folder;
    readonly MessageSigner _signer;
    readonly string _session = Guid.NewGuid().ToString("N");
    readonly DealerSocket _shell, _control, _stdin;
    readonly SubscriberSocket _iopub;
    readonly StringBuilder _log = new();

    PythonKernel(Process process, string folder, ConnectionFile connection)
    {
        _process = process;
        _folder = folder;
        _signer = new MessageSigner(connection.Key);
        var identity = Encoding.ASCII.GetBytes(_session);
        _shell = Dealer(connection.Endpoint(connection.ShellPort), identity);
        _stdin = Dealer(connection.Endpoint(connection.StdinPort), identity); // a client's shell and stdin share one identity
        _control = Dealer(connection.Endpoint(connection.ControlPort), identity);
        _iopub = new SubscriberSocket();
        _iopub.Options.Linger = TimeSpan.Zero;
        _iopub.Connect(connection.Endpoint(connection.IopubPort));
        _iopub.SubscribeToAnyTopic();
    }

    /// <summary>Starts <paramref name="python"/> (null: <see cref="PythonLocator.Find"/>) <c>-m ipykernel_launcher</c> and waits
    /// until it answers kernel_info and its iopub messages arrive; throws <see cref="PythonKernelException"/> with
    /// <see cref="InstallHint"/> when it cannot.</summary>
    public static PythonKernel Start(string? python = null, string? workingDirectory = null, CancellationToken cancellation = default)
    {
        python ??= PythonLocator.Find() ?? throw new PythonKernelException($"No python3 on the PATH (nor /usr/bin/python3) can import ipykernel. {InstallHint} Or name a Python in ${PythonLocator.Variable}.");
        var folder = Directory.CreateTempSubdirectory("folk-lab-python-").FullName;
        var connection = new ConnectionFile
        {
            ShellPort = FreePort(), IopubPort = FreePort(), StdinPort = FreePort(), ControlPort = FreePort(), HeartbeatPort = FreePort(),
            Key = Guid.NewGuid().ToString("N"),
        };
        var path = Path.Combine(folder, "connection.json");
        File.WriteAllText(path, JsonSerializer.Serialize(connection));
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { "-m", "ipykernel_launcher", "-f", path },
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(start) ?? throw new PythonKernelException($"{python} did not start. {InstallHint}"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            Directory.Delete(folder, recursive: true);
            throw new PythonKernelException($"{python} could not be run ({e.Message}). {InstallHint}");
        }
        var kernel = new PythonKernel(process, folder, connection);
        process.OutputDataReceived += (_, e) => kernel.Log(e.Data);
        process.ErrorDataReceived += (_, e) => kernel.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            kernel.WaitUntilReady(cancellation);
            return kernel;
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="code"/>: streams, displays and the execute_result go to <paramref name="output"/> as they
    /// come (the result is also returned), an input_request is answered from <paramref name="input"/> (none: the
    /// request says allow_stdin false), cancelling <paramref name="interrupt"/> sends SIGINT. Returns the result (or
    /// null) and the error, as Python reported it.
    /// </summary>
    public (MimeBundle? Result, CellError? Error) Execute(string code, ICellOutput output, ICellInput? input = null, CancellationToken interrupt = default)
    {
        var (reply, result) = Request(code, output, input, silent: false, interrupt);
        if (reply["status"]?.GetValue<string>() == "ok") return (result, null);
        return (result, ErrorOf(reply));
    }

    /// <summary>The Python variable <paramref name="name"/> as a <see cref="SharedValue"/>: a torch tensor or NumPy
    /// array through a .npy file, anything JSON can hold as JSON.</summary>
    /// <exception cref="ValueSharingException">No such variable, or its type cannot cross (the message names it).</exception>
    public SharedValue Export(string name)
    {
        var (npy, json) = (Path.Combine(_folder, $"export-{Guid.NewGuid():N}.npy"), Path.Combine(_folder, $"export-{Guid.NewGuid():N}.json"));
        try
        {
            RunSilently($"__folk_lab_export({Literal(name)}, {Literal(npy)}, {Literal(json)})");
            var answer = JsonNode.Parse(File.ReadAllText(json))!;
            return answer["kind"]?.GetValue<string>() switch
            {
                "tensor" => new SharedValue { Kind = "tensor", Tensor = Folk.Lab.IO.Npy.Read(npy) },
                "json" => new SharedValue { Kind = "json", Json = answer["value"]?.DeepClone() },
                _ => throw new ValueSharingException(
                    $"'{name}' is a Python {answer["type"]} and cannot be shared. Values that can: {SharedValue.WhatCrosses}."),
            };
        }
        finally
        {
            File.Delete(npy);
            File.Delete(json);
        }
    }

    /// <summary>Binds <paramref name="value"/> to the Python variable <paramref name="name"/>: a tensor becomes a torch
    /// tensor (a NumPy array where torch is missing), JSON the matching Python value.</summary>
    public void Import(string name, SharedValue value)
    {
        var npy = Path.Combine(_folder, $"import-{Guid.NewGuid():N}.npy");
        try
        {
            if (value.Kind == "tensor")
            {
                Folk.Lab.IO.Npy.Write(npy, value.Tensor!);
                RunSilently($"__folk_lab_import({Literal(name)}, 'tensor', {Literal(npy)})");
            }
            else RunSilently($"__folk_lab_import({Literal(name)}, 'json', {Literal(value.Json?.ToJsonString() ?? "null")})");
        }
        finally
        {
            File.Delete(npy);
        }
    }

    /// <summary>Runs code with nothing published; a Python error throws <see cref="ValueSharingException"/>.</summary>
    void RunSilently(string code)
    {
        if (!_helpersDefined)
        {
            Run(Helpers);
            _helpersDefined = true;
        }
        Run(code);

        void Run(string text)
        {
            var (reply, _) = Request(text, null, null, silent: true, default);
            if (reply["status"]?.GetValue<string>() != "ok")
                throw new ValueSharingException($"Python: {reply["ename"]}: {reply["evalue"]}");
        }
    }

    /// <summary>A Python string literal (a JSON string is one).</summary>
    static string Literal(string text) => JsonSerializer.Serialize(text);

    bool _helpersDefined;

    /// <summary>The two functions the sharing runs in the Python kernel's namespace (defined once, silently):
    /// <c>Languages/sharing.py</c>, embedded.</summary>
    static readonly string Helpers = new StreamReader(typeof(PythonKernel).Assembly.GetManifestResourceStream("Folk.Lab.Kernel.Languages.sharing.py")!).ReadToEnd();

    (JsonObject Reply, MimeBundle? Result) Request(string code, ICellOutput? output, ICellInput? input, bool silent, CancellationToken interrupt)
    {
        ThrowIfExited();
        var request = new Message
        {
            Header = Message.NewHeader("execute_request", _session),
            Content = new JsonObject
            {
                ["code"] = code, ["silent"] = silent, ["store_history"] = !silent, ["user_expressions"] = new JsonObject(),
                ["allow_stdin"] = input is not null, ["stop_on_error"] = true,
            },
        };
        Send(_shell, request);
        JsonObject? reply = null;
        MimeBundle? result = null;
        bool idle = false, interrupted = false;
        var frames = new List<byte[]>();
        while (reply is null || !idle)
        {
            if (interrupt.IsCancellationRequested && !interrupted)
            {
                Signal(_process.Id, SIGINT);
                interrupted = true;
            }
            bool any = false;
            if (_iopub.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(20), ref frames))
            {
                any = true;
                var message = Decode(frames);
                if (message?.ParentHeader["msg_id"]?.GetValue<string>() == request.Id)
                {
                    if (message.Type == "status" && message.Content["execution_state"]?.GetValue<string>() == "idle") idle = true;
                    else if (output is not null) result = Relay(message, output) ?? result;
                }
            }
            if (_stdin.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames) && Decode(frames) is { Type: "input_request" } question)
            {
                any = true;
                try
                {
                    string answer = input?.ReadLine(question.Content["prompt"]?.GetValue<string>() ?? "",
                        question.Content["password"]?.GetValue<bool>() ?? false, interrupt) ?? "";
                    Send(_stdin, question.Reply("input_reply", new JsonObject { ["value"] = answer }, _session));
                }
                catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
                {
                    // interrupted while asking: Python's input() gets the KeyboardInterrupt (next turn of the loop) and replies
                }
            }
            if (_shell.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames) && Decode(frames) is { Type: "execute_reply" } answered
                && answered.ParentHeader["msg_id"]?.GetValue<string>() == request.Id)
            {
                any = true;
                reply = answered.Content;
            }
            if (!any && _process.HasExited) ThrowIfExited();
        }
        return (reply, result);
    }

    /// <summary>Passes one iopub message on; returns the bundle of an execute_result.</summary>
    static MimeBundle? Relay(Message message, ICellOutput output)
    {
        switch (message.Type)
        {
            case "stream":
                output.Stream(message.Content["name"]?.GetValue<string>() ?? "stdout", message.Content["text"]?.GetValue<string>() ?? "");
                return null;
            case "display_data":
                output.Display(Bundle(message.Content["data"]), message.Content["transient"]?["display_id"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N"));
                return null;
            case "update_display_data":
                if (message.Content["transient"]?["display_id"]?.GetValue<string>() is { } id) output.UpdateDisplay(Bundle(message.Content["data"]), id);
                return null;
            case "execute_result":
                return Bundle(message.Content["data"]);
            default:
                return null; // execute_input, clear_output and comm messages have no place in a C# cell's outputs
        }
    }

    static MimeBundle Bundle(JsonNode? data)
    {
        var bundle = new MimeBundle();
        if (data is JsonObject fields)
            foreach (var (mime, value) in fields)
                if (value is not null) bundle.With(mime, value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value.ToJsonString());
        if (bundle["text/plain"] is null) bundle.With("text/plain", "");
        return bundle;
    }

    static CellError ErrorOf(JsonObject reply) => new(
        reply["ename"]?.GetValue<string>() ?? "PythonError",
        reply["evalue"]?.GetValue<string>() ?? "",
        reply["traceback"] is JsonArray lines ? lines.Select(l => l?.GetValue<string>() ?? "").ToList() : []);

    void WaitUntilReady(CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var frames = new List<byte[]>();
        while (watch.Elapsed < StartTimeout)
        {
            cancellation.ThrowIfCancellationRequested();
            ThrowIfExited();
            var info = new Message { Header = Message.NewHeader("kernel_info_request", _session) };
            Send(_shell, info);
            bool replied = false, published = false;
            var attempt = Stopwatch.StartNew();
            while (attempt.Elapsed < TimeSpan.FromSeconds(2) && !(replied && published))
            {
                if (_shell.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(20), ref frames) && Decode(frames) is { Type: "kernel_info_reply" })
                    replied = true;
                // iopub is a subscription: until it carries a message for this request, outputs could be lost
                if (_iopub.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames) && Decode(frames) is { } status
                    && status.ParentHeader["msg_id"]?.GetValue<string>() == info.Id)
                    published = true;
                if (_process.HasExited) ThrowIfExited();
            }
            if (replied && published) return;
        }
        throw new PythonKernelException($"The Python kernel did not answer within {StartTimeout.TotalSeconds:F0} s. {InstallHint}{LogTail()}");
    }

    void ThrowIfExited()
    {
        if (!_process.HasExited) return;
        _process.WaitForExit(); // the output readers flush
        throw new PythonKernelException($"The Python kernel exited (code {_process.ExitCode}). {InstallHint}{LogTail()}");
    }

    string LogTail()
    {
        lock (_log)
        {
            var text = _log.ToString().Trim();
            return text.Length == 0 ? "" : $"\nIts output:\n{(text.Length > 2000 ? "…" + text[^2000..] : text)}";
        }
    }

    void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    Message? Decode(List<byte[]> frames)
    {
        try { return Wire.Decode(frames, _signer); }
        catch (WireException e)
        {
            Log($"(dropped a message from the Python kernel: {e.Message})");
            return null;
        }
    }

    void Send(NetMQSocket socket, Message message) => socket.SendMultipartBytes(Wire.Encode(message, _signer));

    static DealerSocket Dealer(string endpoint, byte[] identity)
    {
        var socket = new DealerSocket();
        socket.Options.Identity = identity;
        socket.Options.Linger = TimeSpan.Zero;
        socket.Connect(endpoint);
        return socket;
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    const int SIGINT = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Signal(int pid, int signal);

    /// <summary>Asks the kernel to shut down, waits a little, then kills it; removes its connection file.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Send(_control, new Message { Header = Message.NewHeader("shutdown_request", _session), Content = new JsonObject { ["restart"] = false } });
                if (!_process.WaitForExit(TimeSpan.FromSeconds(5))) _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // the process was never started or is already gone
        }
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub }) socket.Dispose();
        _process.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
