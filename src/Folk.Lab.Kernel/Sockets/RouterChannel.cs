using Folk.Lab.Kernel.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace Folk.Lab.Kernel.Sockets;

/// <summary>
/// A ROUTER socket (shell, control or stdin) owned by one thread: it receives, checks the signature, hands each
/// message to a handler, and sends the handler's replies from the same thread. Other threads send through
/// <see cref="Send"/>, which queues the message for the owning thread (NetMQ sockets are not thread-safe): the stdin
/// channel's input_request leaves that way while a cell runs on the shell thread. A message whose signature is missing
/// or wrong is dropped with a log line and never handled.
/// </summary>
public sealed class RouterChannel : IDisposable
{
    readonly Thread _thread;
    readonly string _name;
    readonly MessageSigner _signer;
    readonly TextWriter _log;
    readonly NetMQQueue<Message> _outbox = new();
    readonly NetMQPoller _poller;

    /// <summary>
    /// Binds <paramref name="endpoint"/> and serves it: <paramref name="handler"/> gets each valid message and a send
    /// function for replies on this socket.
    /// </summary>
    public RouterChannel(string name, string endpoint, MessageSigner signer, TextWriter log, Action<Message, Action<Message>> handler)
    {
        _name = name;
        _signer = signer;
        _log = log;
        var socket = new RouterSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Bind(endpoint);
        socket.ReceiveReady += (_, e) => Receive(e.Socket, handler);
        _outbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var message, TimeSpan.Zero)) socket.SendMultipartBytes(Wire.Encode(message, _signer));
        };
        _poller = [socket, _outbox];
        _thread = new Thread(() =>
        {
            using (socket) _poller.Run();
        }) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Sends <paramref name="message"/> (with its identities) from the channel's thread; callable from any thread.</summary>
    public void Send(Message message) => _outbox.Enqueue(message);

    void Receive(NetMQSocket socket, Action<Message, Action<Message>> handler)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            Message message;
            try { message = Wire.Decode(frames, _signer); }
            catch (WireException e)
            {
                _log.WriteLine($"folk-lab kernel: {_name}: dropped a message: {e.Message}.");
                continue;
            }
            // The poller installs its own synchronization context on this thread; a handler that blocks on async work
            // (a cell restoring a package) would post its continuations to this very thread and wait for ever.
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                handler(message, reply => socket.SendMultipartBytes(Wire.Encode(reply, _signer)));
            }
            catch (Exception e)
            {
                _log.WriteLine($"folk-lab kernel: {_name}: {message.Type} failed: {e}");
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }
    }

    /// <summary>Stops serving after the current message and closes the socket.</summary>
    public void Dispose()
    {
        if (_poller.IsRunning) _poller.StopAsync();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(2));
        _poller.Dispose();
        _outbox.Dispose();
    }
}
