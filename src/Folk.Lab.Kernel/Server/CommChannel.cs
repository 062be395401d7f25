using System.Text.Json.Nodes;
using Folk.Lab.Interactive.Widgets;
using Folk.Lab.Kernel.Display;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Protocol;
using Folk.Lab.Kernel.Sockets;

namespace Folk.Lab.Kernel.Server;

/// <summary>
/// The kernel's side of Jupyter comms (comm_open, comm_msg, comm_close, comm_info_request) and the channel widgets
/// talk through (<see cref="IWidgetChannel"/>). Comms on the <c>jupyter.widget</c> target are widget models; the front
/// end's <c>jupyter.widget.version</c> comm is answered with the model version the widgets speak, as ipywidgets 6 does.
/// A comm message runs its widget's handlers on the shell thread, between cells, with console output and
/// <c>display</c> parented to it (so an <see cref="Output"/> widget can claim them).
/// </summary>
public sealed class CommChannel(IopubChannel iopub, string session, CellContext context, TextWriter log) : IWidgetChannel
{
    /// <summary>The target of widget models.</summary>
    public const string WidgetTarget = "jupyter.widget";

    /// <summary>The target on which the classic widget front end checks the kernel's model version.</summary>
    public const string VersionTarget = "jupyter.widget.version";

    readonly Dictionary<string, string> _targets = [];
    Message? _serving;

    /// <summary>The request being served, set by the server around each shell request.</summary>
    public Message? Serving
    {
        get => _serving;
        set => _serving = value;
    }

    /// <inheritdoc/>
    public string? ParentMessageId => _serving?.Header["msg_id"]?.GetValue<string>();

    /// <inheritdoc/>
    public void Open(string commId, JsonObject state)
    {
        lock (_targets) _targets[commId] = WidgetTarget;
        Publish("comm_open", new JsonObject
        {
            ["comm_id"] = commId, ["target_name"] = WidgetTarget, ["data"] = state, ["metadata"] = new JsonObject(),
        });
    }

    /// <inheritdoc/>
    public void Send(string commId, JsonObject data) =>
        Publish("comm_msg", new JsonObject { ["comm_id"] = commId, ["data"] = data });

    /// <inheritdoc/>
    public void Close(string commId)
    {
        lock (_targets) _targets.Remove(commId);
        Publish("comm_close", new JsonObject { ["comm_id"] = commId, ["data"] = new JsonObject() });
    }

    /// <inheritdoc/>
    public void Display(object? value) => Output().Display(DisplayFormatting.BundleFor(value), Guid.NewGuid().ToString("N")[..24]);

    /// <inheritdoc/>
    public void ClearOutput(bool wait) => Publish("clear_output", new JsonObject { ["wait"] = wait });

    /// <summary>comm_open from the front end: the version check is answered; other targets are closed again (the kernel
    /// does not create models the front end asks for).</summary>
    public void HandleOpen(Message request)
    {
        var commId = request.Content["comm_id"]?.GetValue<string>() ?? "";
        var target = request.Content["target_name"]?.GetValue<string>() ?? "";
        if (target == VersionTarget)
        {
            lock (_targets) _targets[commId] = target;
            Send(commId, new JsonObject { ["version"] = Widget.ModuleVersion });
            return;
        }
        log.WriteLine($"folk-lab kernel: no comm target '{target}'; closing comm {commId}.");
        Publish("comm_close", new JsonObject { ["comm_id"] = commId, ["data"] = new JsonObject() });
    }

    /// <summary>comm_msg from the front end: a widget's state change or custom message, its handlers run now.</summary>
    public void HandleMessage(Message request)
    {
        var commId = request.Content["comm_id"]?.GetValue<string>() ?? "";
        if (request.Content["data"] is not JsonObject data) return;
        var output = new IopubCellOutput(iopub, request, session);
        context.Output = output;
        try
        {
            using (OutputCapture.Begin(output))
                if (!Widget.Receive(commId, data) && !IsVersionComm(commId))
                    log.WriteLine($"folk-lab kernel: comm_msg for unknown comm {commId}.");
        }
        catch (Exception e)
        {
            // a failing handler must not take the kernel down: its error goes where its output goes
            var error = CellError.From(e);
            output.Stream("stderr", string.Join('\n', error.Traceback) + "\n");
            log.WriteLine($"folk-lab kernel: a widget handler failed: {error.Value}");
        }
        finally { context.Output = null; }
    }

    /// <summary>comm_close from the front end.</summary>
    public void HandleClose(Message request)
    {
        var commId = request.Content["comm_id"]?.GetValue<string>() ?? "";
        lock (_targets) _targets.Remove(commId);
        Widget.Closed(commId);
    }

    /// <summary>comm_info_reply content: the open comms, of one target when the request names one.</summary>
    public JsonObject Info(JsonObject content)
    {
        var only = content["target_name"]?.GetValue<string>();
        var comms = new JsonObject();
        lock (_targets)
            foreach (var (id, target) in _targets.Where(t => only is null || t.Value == only))
                comms[id] = new JsonObject { ["target_name"] = target };
        return new JsonObject { ["status"] = "ok", ["comms"] = comms };
    }

    bool IsVersionComm(string commId)
    {
        lock (_targets) return _targets.GetValueOrDefault(commId) == VersionTarget;
    }

    IopubCellOutput Output() => new(iopub, _serving ?? throw new InvalidOperationException("Widgets can only show output while the kernel serves a request."), session);

    void Publish(string type, JsonObject content)
    {
        if (_serving is { } parent) iopub.Publish(parent.Broadcast(type, content, session));
        else iopub.Publish(new Message { Header = Message.NewHeader(type, session), Content = content });
    }
}
