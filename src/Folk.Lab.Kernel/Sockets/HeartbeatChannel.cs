using NetMQ;
using NetMQ.Sockets;

namespace Folk.Lab.Kernel.Sockets;

/// <summary>The heartbeat REP socket: echoes every ping on its own thread, so a busy cell never looks like a dead kernel.</summary>
public sealed class HeartbeatChannel : IDisposable
{
    readonly Thread _thread;
    volatile bool _stopping;

    /// <summary>Binds <paramref name="endpoint"/> and starts echoing.</summary>
    public HeartbeatChannel(string endpoint)
    {
        var socket = new ResponseSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Bind(endpoint);
        _thread = new Thread(() => Run(socket)) { IsBackground = true, Name = "heartbeat" };
        _thread.Start();
    }

    void Run(ResponseSocket socket)
    {
        using (socket)
        {
            while (!_stopping)
                if (socket.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(100), out var ping, out var more))
                    socket.SendFrame(ping, more);
        }
    }

    /// <summary>Stops echoing and closes the socket.</summary>
    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(1));
    }
}
