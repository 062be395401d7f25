using System.Net;
using System.Net.Sockets;
using Folk.Lab.Distributed;

namespace Folk.Lab.Tests.Distributed;

/// <summary>The start-up exchange of NCCL's id under torchrun, with three ranks as threads on this machine.</summary>
public class TcpIdExchangeTests
{
    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task EveryRankGetsRankZerosBytesWhicheverRankStartsFirst()
    {
        int port = FreePort();
        var id = Enumerable.Range(0, 128).Select(i => (byte)(i * 7 + 3)).ToArray();
        var ranks = new[] { 2, 1, 0 }.Select(rank => Task.Run(() =>
        {
            if (rank == 0) Thread.Sleep(300);                               // the others wait for rank 0
            return (rank, TcpIdExchange.Share(rank == 0 ? id : new byte[128], rank, 3, "127.0.0.1", port));
        })).ToArray();
        var received = await Task.WhenAll(ranks).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(received, r => Assert.Equal(id, r.Item2));
    }

    [Fact]
    public void ARankWithoutRankZeroGivesUpNamingTheAddress()
    {
        int port = FreePort();
        var e = Assert.Throws<TimeoutException>(() => TcpIdExchange.Share(new byte[128], 1, 2, "127.0.0.1", port, TimeSpan.FromMilliseconds(300)));
        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }
}
