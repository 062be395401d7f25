using System.Collections.Concurrent;
using Folk.Lab.Kernel.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace Folk.Lab.Kernel.Sockets;

/// <summary>
/// The iopub PUB socket. NetMQ sockets are not thread-safe, so one thread owns it and every other thread hands
/// messages over through a queue; messages leave in the order they were published.
/// </summary>
public sealed class IopubChannel : IDisposable
{
    readonly BlockingCollection<Message> _queue = new();
    readonly Thread _thread;
    readonly MessageSigner _signer;
    readonly ManualResetEventSlim _bound = new();
    Exception? _bindError;

    /// <summary>Binds <paramref name="endpoint"/> on the channel's own thread.</summary>
    public IopubChannel(string endpoint, MessageSigner signer)
    {
        _signer = signer;
        _thread = new Thread(() => Run(endpoint)) { IsBackground = true, Name = "iopub" };
        _thread.Start();
        _bound.Wait();
        if (_bindError is not null) throw new IOException($"iopub: cannot bind {endpoint} ({_bindError.Message}).", _bindError);
    }

    /// <summary>Queues <paramref name="message"/> for sending.</summary>
    public void Publish(Message message)
    {
        if (!_queue.IsAddingCompleted) _queue.Add(message);
    }

    void Run(string endpoint)
    {
        using var socket = new PublisherSocket();
        socket.Options.Linger = TimeSpan.Zero;
        try { socket.Bind(endpoint); }
        catch (Exception e) { _bindError = e; }
        _bound.Set();
        if (_bindError is not null) return;
        foreach (var message in _queue.GetConsumingEnumerable())
        {
            var topic = System.Text.Encoding.UTF8.GetBytes($"kernel.{message.Type}");
            var frames = Wire.Encode(new Message
            {
                Identities = [topic], Header = message.Header, ParentHeader = message.ParentHeader,
                Metadata = message.Metadata, Content = message.Content, Buffers = message.Buffers,
            }, _signer);
            var msg = new NetMQMessage(frames.Select(f => new NetMQFrame(f)));
            socket.SendMultipartMessage(msg);
        }
    }

    /// <summary>Sends what is queued, then closes the socket.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(2));
        _queue.Dispose();
        _bound.Dispose();
    }
}
