using Folk.Lab.Kernel.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace Folk.Lab.Kernel.Sockets;

/// <summary>
/// A ROUTER socket (shell, control or stdin) served by one thread: it receives, checks the signature, hands each
/// message to a handler, and sends the handler's replies from the same thread. A message whose signature is missing
/// or wrong is dropped with a log line and never handled.
/// </summary>
public sealed class RouterChannel : IDisposable
{
    readonly Thread _thread;
    readonly string _name;
    readonly MessageSigner _signer;
    readonly TextWriter _log;
    volatile bool _stopping;

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
        _thread = new Thread(() => Run(socket, handler)) { IsBackground = true, Name = name };
        _thread.Start();
    }

    void Run(RouterSocket socket, Action<Message, Action<Message>> handler)
    {
        using (socket)
        {
            var frames = new List<byte[]>();
            while (!_stopping)
            {
                frames.Clear();
                if (!socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(100), ref frames)) continue;
                Message message;
                try { message = Wire.Decode(frames, _signer); }
                catch (WireException e)
                {
                    _log.WriteLine($"folk-lab kernel: {_name}: dropped a message: {e.Message}.");
                    continue;
                }
                try
                {
                    handler(message, reply => socket.SendMultipartBytes(Wire.Encode(reply, _signer)));
                }
                catch (Exception e)
                {
                    _log.WriteLine($"folk-lab kernel: {_name}: {message.Type} failed: {e}");
                }
            }
        }
    }

    /// <summary>Stops serving after the current message and closes the socket.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(2));
    }
}
