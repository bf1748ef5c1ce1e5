using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShadowMcp.Reports.Tests.Dns;

/// <summary>
/// A tiny UDP DNS server on 127.0.0.1 for PTR tests: answers names in <see cref="Ptr"/>, stays silent for names in
/// <see cref="Silent"/> (to exhaust the budget), NXDOMAIN otherwise. Counts queries to prove caching.
/// </summary>
internal sealed class LoopbackDnsResponder : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private int _queries;
    private readonly SemaphoreSlim _received = new(0);

    public Dictionary<string, string> Ptr { get; } = new(StringComparer.OrdinalIgnoreCase);
    public HashSet<string> Silent { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Completes once <paramref name="count"/> more queries have arrived (a signal, not a guess at timing).</summary>
    public async Task QueriesArrivedAsync(int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++) await _received.WaitAsync(cancellationToken);
    }
    public string Address => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    public LoopbackDnsResponder() => _ = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult packet;
            try { packet = await _udp.ReceiveAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _queries);
            _received.Release();
            var q = packet.Buffer;
            var (name, end) = ReadName(q, 12);
            if (Silent.Contains(name)) continue;
            var question = q.AsSpan(12, end + 4 - 12);
            var response = new List<byte>();
            response.AddRange([q[0], q[1], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]);
            response.AddRange(question.ToArray());
            if (Ptr.TryGetValue(name, out var target))
            {
                response[7] = 1;
                var rdata = EncodeName(target);
                response.AddRange([0xC0, 0x0C, 0, 12, 0, 1, 0, 0, 0, 60, (byte)(rdata.Length >> 8), (byte)rdata.Length]);
                response.AddRange(rdata);
            }
            else response[3] = 0x83;
            await _udp.SendAsync(response.ToArray(), packet.RemoteEndPoint);
        }
    }

    private static (string Name, int End) ReadName(byte[] m, int at)
    {
        var labels = new List<string>();
        while (m[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(m, at + 1, m[at]));
            at += m[at] + 1;
        }
        return (string.Join('.', labels), at + 1);
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
        _received.Dispose();
    }
}
