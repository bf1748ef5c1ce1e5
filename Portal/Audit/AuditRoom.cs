namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The audit log's bound: one unit per row held, from queueing until its batch is committed. Rows get room strictly
/// first come, first served, and a row that waited is put in line by whoever freed the room, under the same lock, so
/// the queue's order is the order rows asked for room (a flush's barrier never passes a row that asked before it).
/// Waiters that only want a turn (a call at the door, <see cref="AuditLog.AdmitAsync"/>) are let through without
/// taking a unit.
/// </summary>
internal sealed class AuditRoom(int limit)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = [];
    private int _free = limit;

    private sealed class Waiter(Action? put)
    {
        public Action? Put { get; } = put;
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Waiters now (rows and turns).</summary>
    public int Waiting
    {
        get { lock (_gate) return _waiters.Count; }
    }

    /// <summary>True when a row would get room now (nobody waits and a unit is free).</summary>
    public bool HasRoom
    {
        get { lock (_gate) return _waiters.Count == 0 && _free > 0; }
    }

    /// <summary>Runs <paramref name="put"/> with a unit taken if one is free and nobody waits; else false.</summary>
    public bool TryTake(Action put)
    {
        lock (_gate)
        {
            if (_waiters.Count > 0 || _free == 0) return false;
            _free--;
            put();
            return true;
        }
    }

    /// <summary>
    /// Takes a unit and runs <paramref name="put"/> (under the lock, in turn), or with null only waits for a turn.
    /// Null when that happened at once; else a task that completes when it has (cancelled: nothing was put).
    /// </summary>
    public Task? TakeOrWait(Action? put, CancellationToken ct)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _free > 0)
            {
                if (put is not null)
                {
                    _free--;
                    put();
                }
                return null;
            }
            waiter = new Waiter(put);
            node = _waiters.AddLast(waiter);
        }
        if (ct.CanBeCanceled)
        {
            var registration = ct.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is null) return; // already granted
                    _waiters.Remove(node);
                }
                waiter.Granted.TrySetCanceled(ct);
            });
            _ = waiter.Granted.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return waiter.Granted.Task;
    }

    /// <summary>Frees <paramref name="units"/> and lets waiters in, in order, while there is room.</summary>
    public void Release(int units)
    {
        List<Waiter> granted = [];
        lock (_gate)
        {
            _free += units;
            while (_waiters.First is { } first && _free > 0)
            {
                _waiters.RemoveFirst();
                if (first.Value.Put is { } put)
                {
                    _free--;
                    put();
                }
                granted.Add(first.Value);
            }
        }
        foreach (var waiter in granted) waiter.Granted.TrySetResult();
    }
}
