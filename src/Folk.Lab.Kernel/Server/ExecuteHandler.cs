using System.Text.Json.Nodes;
using Folk.Lab.Kernel.Execution;
using Folk.Lab.Kernel.Protocol;
using Folk.Lab.Kernel.Sockets;

namespace Folk.Lab.Kernel.Server;

/// <summary>
/// execute_request: runs the cell in the shared <see cref="CellEngine"/>, publishes execute_input, the outputs, the
/// execute_result or the error, and returns the execute_reply content. execution_count counts the requests with
/// store_history (silent ones neither count nor publish). A request with allow_stdin lets the cell ask the front end
/// for input (<see cref="StdinBroker"/>); without it, <c>Console.ReadLine()</c> reads end-of-file.
/// </summary>
public sealed class ExecuteHandler(CellEngine engine, IopubChannel iopub, StdinBroker stdin, string session)
{
    int _executionCount;
    CancellationTokenSource? _running;
    readonly object _gate = new();

    /// <summary>Cancels the running cell, if any (interrupt_request, SIGINT).</summary>
    public void Interrupt()
    {
        lock (_gate) _running?.Cancel();
    }

    /// <summary>Runs the request's code and returns the reply content.</summary>
    public JsonObject Handle(Message request)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? "";
        var silent = request.Content["silent"]?.GetValue<bool>() ?? false;
        var storeHistory = !silent && (request.Content["store_history"]?.GetValue<bool>() ?? true);
        var allowStdin = !silent && (request.Content["allow_stdin"]?.GetValue<bool>() ?? false);
        if (storeHistory) _executionCount++;
        var count = _executionCount;
        if (!silent)
            iopub.Publish(request.Broadcast("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, session));

        using var cancellation = new CancellationTokenSource();
        lock (_gate) _running = cancellation;
        ICellOutput output = silent ? new SilentCellOutput() : new IopubCellOutput(iopub, request, session);
        CellOutcome outcome;
        try { outcome = engine.ExecuteAsync(code, output, cancellation.Token, allowStdin ? stdin.For(request) : null).GetAwaiter().GetResult(); }
        finally { lock (_gate) _running = null; }

        if (outcome.Error is { } error)
        {
            if (!silent)
                iopub.Publish(request.Broadcast("error", ErrorContent(error), session));
            var reply = ErrorContent(error);
            reply["status"] = "error";
            reply["execution_count"] = count;
            return reply;
        }
        if (outcome.Result is { } result && !silent)
            iopub.Publish(request.Broadcast("execute_result", new JsonObject
            {
                ["execution_count"] = count, ["data"] = result.ToJson(), ["metadata"] = new JsonObject(),
            }, session));
        return new JsonObject
        {
            ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
        };
    }

    static JsonObject ErrorContent(CellError error) => new()
    {
        ["ename"] = error.Name,
        ["evalue"] = error.Value,
        ["traceback"] = new JsonArray(error.Traceback.Select(line => (JsonNode)JsonValue.Create(line)!).ToArray()),
    };
}
