using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Protocol;
using Folk.Lab.Kernel.Sockets;

namespace Folk.Lab.Kernel.Server;

/// <summary>
/// The stdin channel, as ipykernel serves it: a cell that reads a line sends <c>input_request</c> {prompt, password}
/// to the client that sent the execute_request (its identities: a Jupyter client gives its shell and stdin sockets the
/// same identity), and waits for the <c>input_reply</c> {value} that answers it. One question is open at a time (one
/// cell runs at a time); a reply to nothing is logged and dropped.
/// </summary>
public sealed class StdinBroker(string session, TextWriter log)
{
    readonly object _gate = new();
    RouterChannel? _channel;
    (string Id, TaskCompletionSource<string> Answer)? _open;

    /// <summary>The channel the questions go out on (set once, after it is bound).</summary>
    public void Attach(RouterChannel channel) => _channel = channel;

    /// <summary>The input of a cell run for <paramref name="request"/> (an execute_request with allow_stdin).</summary>
    public ICellInput For(Message request) => new Input(this, request);

    /// <summary>A message that arrived on the stdin channel.</summary>
    public void Receive(Message message)
    {
        if (message.Type != "input_reply")
        {
            log.WriteLine($"folk-lab kernel: stdin: ignoring '{message.Type}'.");
            return;
        }
        var parent = message.ParentHeader["msg_id"]?.GetValue<string>();
        var value = message.Content["value"]?.GetValue<string>() ?? "";
        lock (_gate)
        {
            if (_open is { } open && (parent is null || parent == open.Id)) open.Answer.TrySetResult(value);
            else log.WriteLine("folk-lab kernel: stdin: an input_reply answers no open input_request; dropped.");
        }
    }

    string Ask(Message request, string prompt, bool password, CancellationToken cancellation)
    {
        var channel = _channel ?? throw new InvalidOperationException("The stdin channel is not bound yet.");
        var question = request.Reply("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, session);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _open = (question.Id, answer);
        try
        {
            channel.Send(question);
            return answer.Task.WaitAsync(cancellation).GetAwaiter().GetResult();
        }
        finally
        {
            lock (_gate) _open = null;
        }
    }

    sealed class Input(StdinBroker broker, Message request) : ICellInput
    {
        public string ReadLine(string prompt, bool password, CancellationToken cancellation) =>
            broker.Ask(request, prompt, password, cancellation);
    }
}
