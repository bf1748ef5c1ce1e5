using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// A TCP relay on 127.0.0.1 between a portal and the test's PostgreSQL that cuts the connection at a commit, as
/// someone on the path (or a failing network) would: before the COMMIT reaches the server (it rolls the batch back),
/// or after the server committed but before its answer reaches the portal. From the cut on every connection through
/// it is refused (the store is down for the portal) until <see cref="Restore"/>. It reads PostgreSQL's message
/// framing only to find COMMIT and its answer; all else passes unchanged.
/// </summary>
internal sealed class PostgresCutProxy : IAsyncDisposable
{
    public enum Cut { BeforeCommit, AfterCommit }

    // The startup packets that ask for encryption: answered "N" here, as a server without it would.
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;
    private static readonly byte[] Commit = "COMMIT\0"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(TcpClient Client, TcpClient Server)> _open = [];
    private readonly List<Task> _relays = [];
    private readonly TaskCompletionSource _cutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;
    private Cut? _cut;
    private int _commitsToLetThrough;
    private bool _down;

    private PostgresCutProxy(PortalStore direct)
    {
        var target = new NpgsqlConnectionStringBuilder(direct.Target.Location);
        _serverPort = target.Port;
        _listener.Start();
        _accepting = AcceptAsync();
        // No pool: each open is a new connection through the relay, so none opened before a cut outlives it.
        target.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        target.Pooling = false;
        target.SslMode = SslMode.Disable;
        Store = new PortalStore(target.ConnectionString);
    }

    /// <summary>The store as the portal reaches it: through the relay.</summary>
    public PortalStore Store { get; }

    /// <summary>Completes when the connection has been cut.</summary>
    public Task CutDone => _cutDone.Task;

    public static PostgresCutProxy Start(PortalStore direct) => new(direct);

    /// <summary>Cuts at the first COMMIT after <paramref name="letThrough"/> more have passed.</summary>
    public void Arm(Cut cut, int letThrough = 0)
    {
        lock (_gate)
        {
            _cut = cut;
            _commitsToLetThrough = letThrough;
        }
    }

    /// <summary>Connections pass again (the store is back for the portal).</summary>
    public void Restore()
    {
        lock (_gate) _down = false;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            lock (_gate)
            {
                if (_down)
                {
                    client.Dispose();
                    continue;
                }
                _relays.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_gate) _open.Add((client, server));
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
            var cutAfter = new CommitToCut();
            var pumps = new[]
            {
                ClientToServerAsync(client.GetStream(), server.GetStream(), cutAfter),
                ServerToClientAsync(server.GetStream(), client.GetStream(), cutAfter),
            };
            await Task.WhenAny(pumps);
            client.Dispose();
            server.Dispose();
            await Task.WhenAll(pumps);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side went away, or the relay cut it.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
            lock (_gate) _open.Remove((client, server));
        }
    }

    // The portal's side: the startup packet (no type byte), then typed messages; a COMMIT is where a cut may happen.
    private async Task ClientToServerAsync(NetworkStream from, NetworkStream to, CommitToCut cutAfter)
    {
        while (true)
        {
            var startup = await ReadAsync(from, typed: false);
            var code = BinaryPrimitives.ReadInt32BigEndian(startup.AsSpan(4));
            if (code is SslRequest or GssEncRequest)
            {
                await from.WriteAsync("N"u8.ToArray());
                continue;
            }
            await to.WriteAsync(startup);
            break;
        }
        while (true)
        {
            var message = await ReadAsync(from, typed: true);
            if (message[0] == 'Q' && message.AsSpan(5).SequenceEqual(Commit))
            {
                switch (Decide())
                {
                    case Cut.BeforeCommit:
                        CutNow();
                        return;
                    case Cut.AfterCommit:
                        cutAfter.Sent = true;
                        break;
                }
            }
            await to.WriteAsync(message);
        }
    }

    // The server's side: typed messages from the start. After a COMMIT to be cut, its answer never arrives.
    private async Task ServerToClientAsync(NetworkStream from, NetworkStream to, CommitToCut cutAfter)
    {
        while (true)
        {
            var message = await ReadAsync(from, typed: true);
            if (cutAfter.Sent && message[0] == 'C' && message.AsSpan(5).SequenceEqual(Commit))
            {
                CutNow();
                return;
            }
            await to.WriteAsync(message);
        }
    }

    private Cut? Decide()
    {
        lock (_gate)
        {
            if (_cut is not { } cut) return null;
            if (_commitsToLetThrough-- > 0) return null;
            _cut = null;
            return cut;
        }
    }

    // Every connection through the relay ends at once, and none is let in until Restore.
    private void CutNow()
    {
        lock (_gate)
        {
            _down = true;
            foreach (var (client, server) in _open)
            {
                client.Dispose();
                server.Dispose();
            }
            _open.Clear();
        }
        _cutDone.TrySetResult();
    }

    private static async Task<byte[]> ReadAsync(NetworkStream from, bool typed)
    {
        var head = typed ? 5 : 4;
        var header = new byte[head];
        await from.ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(head - 4));
        var message = new byte[head - 4 + length];
        header.CopyTo(message, 0);
        await from.ReadExactlyAsync(message.AsMemory(head));
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] relays;
        lock (_gate)
        {
            _down = true;
            foreach (var (client, server) in _open)
            {
                client.Dispose();
                server.Dispose();
            }
            relays = [.. _relays];
        }
        await Task.WhenAll(relays);
        _stop.Dispose();
    }

    // Per connection: its COMMIT went to the server, and the answer is to be cut (read by the other direction's pump).
    private sealed class CommitToCut
    {
        private volatile bool _sent;

        public bool Sent
        {
            get => _sent;
            set => _sent = value;
        }
    }
}
