using System.Net;
using System.Net.Sockets;

namespace Folk.Lab.Distributed;

/// <summary>
/// Passes a small fixed-size message (NCCL's 128-byte unique id) from rank 0 to every other rank over TCP, for jobs
/// started without MPI (<c>torchrun</c>): rank 0 listens, each other rank connects, receives the bytes and closes. It
/// carries the id once, at start-up; every collective then runs in NCCL.
/// </summary>
/// <remarks>The port is <c>MASTER_PORT + 1</c>: <c>torchrun</c>'s own rendezvous store already listens on
/// <c>MASTER_PORT</c> on rank 0's node. Other ranks retry until rank 0 listens, for at most the timeout (default
/// <see cref="DefaultTimeout"/>).</remarks>
public static class TcpIdExchange
{
    /// <summary>How long a rank waits for rank 0 (and rank 0 for the others) unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Returns rank 0's <paramref name="message"/> on every rank (ranks other than 0 pass a buffer of the same
    /// length, whose contents are ignored).</summary>
    /// <exception cref="TimeoutException">The other side did not come within <paramref name="timeout"/>; the message
    /// names the address.</exception>
    public static byte[] Share(byte[] message, int rank, int worldSize, string address, int port, TimeSpan? timeout = null)
    {
        if (worldSize == 1) return message;
        var wait = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + wait;
        if (rank == 0)
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start(worldSize);
            try
            {
                for (int joined = 1; joined < worldSize; joined++)
                {
                    var accept = listener.AcceptTcpClientAsync();
                    if (!accept.Wait(Remaining(deadline)))
                        throw new TimeoutException($"Rank 0 waited {wait.TotalMinutes:0.#} min on port {port} for the other ranks; {joined - 1} of {worldSize - 1} came.");
                    using var client = accept.Result;
                    client.GetStream().Write(message);
                }
            }
            finally { listener.Stop(); }
            return message;
        }
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(address, port);
                var received = new byte[message.Length];
                client.GetStream().ReadExactly(received);
                return received;
            }
            catch (Exception e) when (e is SocketException or EndOfStreamException or IOException)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"Rank {rank} could not get the NCCL id from rank 0 at {address}:{port} within {wait.TotalSeconds:0.#} s ({e.Message}).", e);
                Thread.Sleep(100);
            }
        }
    }

    static TimeSpan Remaining(DateTime deadline) => deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero;
}
