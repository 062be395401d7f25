namespace Folk.Lab.Kernel.Execution;

/// <summary>
/// Where a running cell's input comes from: in the kernel, the front end over the stdin channel (input_request and
/// input_reply, as ipykernel asks); a headless run and a request with <c>allow_stdin</c> false have none.
/// </summary>
public interface ICellInput
{
    /// <summary>Asks for one line after <paramref name="prompt"/>; a <paramref name="password"/> is not echoed by the
    /// front end. Blocks until the answer comes; throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellation"/> is cancelled first (an interrupt).</summary>
    string ReadLine(string prompt, bool password, CancellationToken cancellation);
}
