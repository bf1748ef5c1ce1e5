namespace ShadowMcp.Corpus;

/// <summary>
/// HTTP/1.1 connections picked as Node's undici pool (the AI SDK's fetch) picks them: a request goes to the first
/// connection with no request waiting for its answer, or to a new connection when every one is busy, and stays on
/// it. .NET's own pool hands a waiting request to whichever connection frees first, so two requests sent together
/// rarely end up on two connections. Each connection is a SocketsHttpHandler limited to one connection.
/// </summary>
internal sealed class FirstFreeConnectionHandler(Func<SocketsHttpHandler> create) : HttpMessageHandler
{
    private sealed class Connection(SocketsHttpHandler handler)
    {
        public HttpMessageInvoker Invoker { get; } = new(handler);
        public int Waiting;
    }

    private readonly List<Connection> _connections = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Connection connection;
        lock (_connections)
        {
            connection = _connections.FirstOrDefault(c => c.Waiting == 0) ?? Open();
            connection.Waiting++;
        }
        try
        {
            return await connection.Invoker.SendAsync(request, cancellationToken);
        }
        finally
        {
            lock (_connections) connection.Waiting--;
        }
    }

    private Connection Open()
    {
        var handler = create();
        handler.MaxConnectionsPerServer = 1;
        var connection = new Connection(handler);
        _connections.Add(connection);
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var c in _connections) c.Invoker.Dispose();
        base.Dispose(disposing);
    }
}
