namespace ShadowMcp.Scanner.JsonRpc;

/// <summary>
/// Methods of JSON-RPC requests awaiting their response on one connection, so a response can name its request's
/// method. Bounded: when full, the oldest id is forgotten.
/// </summary>
internal sealed class PendingRequestIds(int capacity)
{
    // Made at the first request id: a connection that carries no JSON-RPC request never needs them.
    private Dictionary<string, string>? _methods;
    private Queue<string>? _order;

    public int Count => _methods?.Count ?? 0;

    /// <summary>Forgets every id, keeping the maps for the next connection.</summary>
    public void Clear()
    {
        _methods?.Clear();
        _order?.Clear();
    }

    public void Add(string idKey, string method)
    {
        _methods ??= new Dictionary<string, string>(StringComparer.Ordinal);
        _order ??= new Queue<string>();
        if (!_methods.ContainsKey(idKey))
        {
            while (_methods.Count >= capacity && _order.TryDequeue(out var oldest)) _methods.Remove(oldest);
            _order.Enqueue(idKey);
        }
        _methods[idKey] = method;
        // Answered ids stay in the queue; compact it now and then so it stays proportional to the map.
        if (_order.Count > 2 * capacity) Compact();
    }

    /// <summary>The method of the request with this id, removing it (an id is answered once).</summary>
    public string? Take(string idKey) => _methods is not null && _methods.Remove(idKey, out var method) ? method : null;

    private void Compact()
    {
        int n = _order!.Count;
        for (int i = 0; i < n; i++)
        {
            var key = _order.Dequeue();
            if (_methods!.ContainsKey(key)) _order.Enqueue(key);
        }
    }
}
