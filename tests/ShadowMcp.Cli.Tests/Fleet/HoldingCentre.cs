using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// A centre on loopback that reads each POST whole and answers 200 only when the test lets it: a slow or hung
/// <c>serve</c>, seen from the sensor. Counts the requests it received and the ones it answered.
/// </summary>
internal sealed class HoldingCentre : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;
    private int _answered;

    public HoldingCentre(int port = 0, bool holding = true)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        if (!holding) _release.SetResult();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Uri Target => new($"http://127.0.0.1:{Port}/api/sensors/results");
    public int Received => Volatile.Read(ref _received);
    public int Answered => Volatile.Read(ref _answered);
    public Task FirstReceived => _firstReceived.Task;

    /// <summary>Answers every held and later request.</summary>
    public void Release() => _release.TrySetResult();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (await ReadRequestAsync(stream))
            {
                Interlocked.Increment(ref _received);
                _firstReceived.TrySetResult();
                await _release.Task.WaitAsync(_stop.Token);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                Interlocked.Increment(ref _answered);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (IOException) { }
    }

    // Reads one request head and its Content-Length body; false at end of stream.
    private async Task<bool> ReadRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return false;
            head.Append((char)one[0]);
        }
        var length = head.ToString().Split("\r\n")
            .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
