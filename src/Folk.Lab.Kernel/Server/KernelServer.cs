using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Protocol;
using Folk.Lab.Kernel.Sockets;

namespace Folk.Lab.Kernel.Server;

/// <summary>
/// The Jupyter kernel: binds the five sockets of a connection file and serves the messaging protocol (5.3) until a
/// shutdown_request. Shell requests run one at a time on the shell thread; control (interrupt, shutdown) has its own
/// thread so it is answered while a cell runs. Every request is bracketed by status busy/idle on iopub. Widgets talk to
/// the front end through the comms of <see cref="CommChannel"/>.
/// </summary>
public sealed class KernelServer
{
    readonly ConnectionFile _connection;
    readonly TextWriter _log;
    readonly string _session = Guid.NewGuid().ToString("N");
    readonly ManualResetEventSlim _shutdown = new();

    /// <summary>A kernel for <paramref name="connection"/>; <paramref name="log"/> gets diagnostics (stderr).</summary>
    public KernelServer(ConnectionFile connection, TextWriter log)
    {
        _connection = connection;
        _log = log;
    }

    /// <summary>Serves until a shutdown_request (or SIGTERM) and returns the process exit code.</summary>
    public int Run(string? workingDirectory = null)
    {
        var signer = new MessageSigner(_connection.Key);
        if (!signer.Enabled) _log.WriteLine("folk-lab kernel: the connection file has no key: messages are not signed.");
        using var engine = new CellEngine(workingDirectory); // disposed last: shuts down a Python kernel started by a cell
        using var iopub = new IopubChannel(_connection.Endpoint(_connection.IopubPort), signer);
        var input = new StdinBroker(_session, _log);
        var execute = new ExecuteHandler(engine, iopub, input, _session);
        var introspection = new IntrospectionHandler(engine);
        var comms = new CommChannel(iopub, _session, engine.Session.Context, _log);
        Folk.Lab.Interactive.Widgets.Widget.Connect(comms);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; execute.Interrupt(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; _shutdown.Set(); });
        using var heartbeat = new HeartbeatChannel(_connection.Endpoint(_connection.HeartbeatPort));
        using var stdin = new RouterChannel("stdin", _connection.Endpoint(_connection.StdinPort), signer, _log, (m, _) => input.Receive(m));
        input.Attach(stdin);
        using var control = new RouterChannel("control", _connection.Endpoint(_connection.ControlPort), signer, _log,
            (m, send) => Serve(m, send, iopub, () => Control(m, execute)));
        using var shell = new RouterChannel("shell", _connection.Endpoint(_connection.ShellPort), signer, _log,
            (m, send) =>
            {
                comms.Serving = m; // widgets publish parented to the request being served
                try { Serve(m, send, iopub, () => Shell(m, execute, introspection, comms)); }
                finally { comms.Serving = null; }
            });
        _log.WriteLine($"folk-lab kernel: serving on {_connection.Ip}, shell port {_connection.ShellPort}.");
        iopub.Publish(new Message { Header = Message.NewHeader("status", _session), Content = new JsonObject { ["execution_state"] = "starting" } });
        _ = Task.Run(() => WarmUp(engine)); // the first cell then does not pay for loading the compiler
        _shutdown.Wait();
        _log.WriteLine("folk-lab kernel: shutting down.");
        return 0;
    }

    /// <summary>Publishes busy, handles, replies (when there is a reply), publishes idle.</summary>
    void Serve(Message request, Action<Message> send, IopubChannel iopub, Func<(string Type, JsonObject Content)?> handle)
    {
        iopub.Publish(request.Broadcast("status", new JsonObject { ["execution_state"] = "busy" }, _session));
        try
        {
            if (handle() is { } reply) send(request.Reply(reply.Type, reply.Content, _session));
        }
        finally
        {
            iopub.Publish(request.Broadcast("status", new JsonObject { ["execution_state"] = "idle" }, _session));
        }
    }

    (string, JsonObject)? Shell(Message request, ExecuteHandler execute, IntrospectionHandler introspection, CommChannel comms) => request.Type switch
    {
        "kernel_info_request" => ("kernel_info_reply", KernelInfo.Content()),
        "execute_request" => ("execute_reply", execute.Handle(request)),
        "is_complete_request" => ("is_complete_reply", introspection.IsComplete(request.Content)),
        "complete_request" => ("complete_reply", introspection.Complete(request.Content)),
        "inspect_request" => ("inspect_reply", introspection.Inspect(request.Content)),
        "comm_info_request" => ("comm_info_reply", comms.Info(request.Content)),
        "comm_open" => NoReply(() => comms.HandleOpen(request)),
        "comm_msg" => NoReply(() => comms.HandleMessage(request)),
        "comm_close" => NoReply(() => comms.HandleClose(request)),
        "history_request" => ("history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }),
        "shutdown_request" => Shutdown(request),
        _ => Unknown(request),
    };

    (string, JsonObject)? Control(Message request, ExecuteHandler execute)
    {
        switch (request.Type)
        {
            case "interrupt_request":
                execute.Interrupt();
                return ("interrupt_reply", new JsonObject { ["status"] = "ok" });
            case "shutdown_request":
                return Shutdown(request);
            case "kernel_info_request":
                return ("kernel_info_reply", KernelInfo.Content());
            default:
                return Unknown(request);
        }
    }

    (string, JsonObject) Shutdown(Message request)
    {
        var restart = request.Content["restart"]?.GetValue<bool>() ?? false;
        // the reply and the idle status go out first; the sockets close once Run returns
        _ = Task.Delay(100).ContinueWith(_ => _shutdown.Set(), TaskScheduler.Default);
        return ("shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
    }

    static (string, JsonObject)? NoReply(Action handle)
    {
        handle();
        return null;
    }

    (string, JsonObject)? Unknown(Message request)
    {
        _log.WriteLine($"folk-lab kernel: ignoring unsupported message type '{request.Type}'.");
        return null;
    }

    static void WarmUp(CellEngine engine)
    {
        try
        {
            Folk.Lab.Interactive.FolkLabFormatters.Register();
            DisplayFormatting.BundleFor(new[] { 1 });
            Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.EvaluateAsync<int>("1 + 1", engine.Session.Options).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // a warm-up failure shows again, with its message, in the first real cell
        }
    }
}
