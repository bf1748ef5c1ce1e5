using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// RFC 5424 messages over TCP (RFC 6587 octet counting) or TLS (RFC 5425). Syslog has no acknowledgement of its
/// own, so each batch goes over its own connection and is acknowledged by an orderly close: after the last frame the
/// sink ends TLS (close_notify) and half-closes, then waits for the receiver to close its side, which it does only
/// after reading everything before the end. A reset, a timeout or a close before that is a failed batch.
/// </summary>
internal sealed class SyslogSink(string host, int port, SslClientAuthenticationOptions? tls, TimeSpan timeout,
    int maxMessageBytes = SyslogFrame.DefaultMaxMessageBytes) : ISiemSink
{
    private readonly string _hostname = SyslogFrame.Hostname(System.Net.Dns.GetHostName());
    private readonly int _procId = Environment.ProcessId;

    public string Display { get; } = $"syslog{(tls is null ? "" : "+tls")}://{host}:{port}";

    public async Task SendAsync(IReadOnlyList<SiemEvent> batch, CancellationToken cancellationToken)
    {
        var frames = new ArrayBufferWriter<byte>(batch.Count * 1024);
        foreach (var e in batch) SyslogFrame.Write(frames, e, _hostname, _procId, maxMessageBytes);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host, port, deadline.Token);
            await using var network = new NetworkStream(socket, ownsSocket: false);
            if (tls is null)
            {
                await network.WriteAsync(frames.WrittenMemory, deadline.Token);
                await network.FlushAsync(deadline.Token);
            }
            else
            {
                await using var ssl = new SslStream(network, leaveInnerStreamOpen: true);
                await ssl.AuthenticateAsClientAsync(tls, deadline.Token);
                await ssl.WriteAsync(frames.WrittenMemory, deadline.Token);
                await ssl.FlushAsync(deadline.Token);
                await ssl.ShutdownAsync();
            }
            socket.Shutdown(SocketShutdown.Send);
            // The receiver's close (0 bytes read) is the acknowledgement; anything it sends first (a TLS close_notify) is skipped.
            var sink = new byte[512];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, deadline.Token) > 0) { }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SiemSinkException($"{Display}: no close from the receiver within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new SiemSinkException($"{Display}: {e.Message}", inner: e);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
