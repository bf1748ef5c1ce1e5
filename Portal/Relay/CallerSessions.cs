using System.Security.Claims;

namespace ShadowMcp.Portal.Relay;

/// <summary>
/// Who holds which stateful caller session, and which of them are idle, for <c>portal.maxSessionsPerUser</c> and
/// <c>portal.maxSessions</c>. Only decides: the caller of <see cref="Admit"/> closes the session it names, audits and
/// answers. The MCP SDK's own cap closes whichever session has been idle longest, whoever owns it; these limits
/// are checked first, so one user's sessions only ever push out that user's own.
/// </summary>
internal sealed class CallerSessions(int maxSessions, int maxPerUser, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Holder> _byUser = new(StringComparer.Ordinal);
    private long _clock; // orders uses; ties on a coarse (or fake) clock cannot reorder them
    private int _open; // sessions counted (not being closed) plus admitted initializes not yet registered

    /// <summary>Where an admitted initialize's <see cref="Reservation"/> waits (HttpContext.Items) for <see cref="SessionHub"/>.</summary>
    internal const string ReservationItem = "shadowmcp.portal.session-reservation";

    public int MaxSessions => maxSessions;
    public int MaxPerUser => maxPerUser;

    /// <summary>Sessions held now, all users (for the metrics gauge).</summary>
    public int Count
    {
        get { lock (_lock) return _open; }
    }

    /// <summary>One live session as the limits see it.</summary>
    internal sealed class Entry(string id, string user, ClaimsPrincipal principal)
    {
        public string Id { get; } = id;
        public string User { get; } = user;

        /// <summary>Who opened it: the SDK lets only the same user end it.</summary>
        public ClaimsPrincipal Principal { get; } = principal;

        public int Busy;
        public long LastUse;
        public DateTimeOffset IdleSince;
        public bool Closing;
    }

    private sealed class Holder
    {
        public readonly List<Entry> Sessions = [];
        public int Pending;
        public int Held => Pending + Sessions.Count(s => !s.Closing);
    }

    /// <summary>What an initialize may do: go ahead (perhaps after closing <see cref="Evict"/>), or be refused.</summary>
    internal sealed record Admission(Reservation? Reservation, Entry? Evict, TimeSpan EvictIdle, AdmissionRefusal Refusal);

    internal enum AdmissionRefusal { None, UserBusy, PortalFull }

    /// <summary>
    /// Room for one more session of <paramref name="user"/>. At the per-user cap, that user's least recently used
    /// idle session is marked for closing (it no longer counts); when all of them are busy, or the portal holds
    /// <c>maxSessions</c>, the initialize is refused. Never picks another user's session.
    /// </summary>
    public Admission Admit(string user)
    {
        lock (_lock)
        {
            var holder = _byUser.TryGetValue(user, out var h) ? h : _byUser[user] = new Holder();
            Entry? evict = null;
            if (holder.Held >= maxPerUser)
            {
                evict = holder.Sessions.Where(s => !s.Closing && s.Busy == 0).MinBy(s => s.LastUse);
                if (evict is null)
                {
                    if (holder.Held == 0) _byUser.Remove(user);
                    return new(null, null, default, AdmissionRefusal.UserBusy);
                }
                evict.Closing = true;
                _open--;
            }
            else if (_open >= maxSessions)
            {
                if (holder.Held == 0) _byUser.Remove(user);
                return new(null, null, default, AdmissionRefusal.PortalFull);
            }
            holder.Pending++;
            _open++;
            return new(new Reservation(this, user), evict, evict is null ? default : time.GetUtcNow() - evict.IdleSince,
                AdmissionRefusal.None);
        }
    }

    /// <summary>An admitted initialize: its session counts from admission on, and is busy until the request ends.</summary>
    internal sealed class Reservation(CallerSessions owner, string user) : IDisposable
    {
        private Entry? _entry;
        private bool _done;

        public string User => user;

        /// <summary>The SDK made the session: it is held from now on, busy until this request ends.</summary>
        internal void Commit(Entry entry)
        {
            lock (owner._lock)
            {
                if (_done || _entry is not null) return;
                _entry = entry;
                owner._byUser[user].Pending--;
                owner._open--; // Register counted the session itself
                entry.Busy++;
            }
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                if (_done) return;
                _done = true;
                if (_entry is not null)
                {
                    owner.EndUseLocked(_entry);
                    return;
                }
                // No session was made (an error, a stateless answer): give the room back.
                var holder = owner._byUser[user];
                holder.Pending--;
                owner._open--;
                if (holder.Sessions.Count == 0 && holder.Pending == 0) owner._byUser.Remove(user);
            }
        }
    }

    /// <summary>The SDK made session <paramref name="id"/> (its session handler runs); the reservation, if any, is its initialize.</summary>
    public Entry Register(string id, string user, ClaimsPrincipal principal, Reservation? reservation)
    {
        var entry = new Entry(id, user, principal);
        lock (_lock)
        {
            entry.LastUse = ++_clock;
            entry.IdleSince = time.GetUtcNow();
            _byId[id] = entry;
            (_byUser.TryGetValue(user, out var h) ? h : _byUser[user] = new Holder()).Sessions.Add(entry);
            _open++;
        }
        if (reservation is not null && reservation.User == user) reservation.Commit(entry);
        return entry;
    }

    /// <summary>Session <paramref name="id"/> ended (closed by its client, by these limits, or idle too long).</summary>
    public void Unregister(string id)
    {
        lock (_lock)
        {
            if (!_byId.Remove(id, out var entry)) return;
            var holder = _byUser[entry.User];
            holder.Sessions.Remove(entry);
            if (!entry.Closing) _open--;
            if (holder.Sessions.Count == 0 && holder.Pending == 0) _byUser.Remove(entry.User);
        }
    }

    /// <summary>A request on session <paramref name="id"/> by <paramref name="user"/>: busy until it is disposed.</summary>
    public IDisposable? Use(string id, string user)
    {
        lock (_lock)
        {
            // Another user's session id gets no say here; the SDK refuses the request itself.
            if (!_byId.TryGetValue(id, out var entry) || entry.User != user) return null;
            entry.Busy++;
            return new Using(this, entry);
        }
    }

    private sealed class Using(CallerSessions owner, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            lock (owner._lock) owner.EndUseLocked(entry);
        }
    }

    private void EndUseLocked(Entry entry)
    {
        entry.Busy--;
        entry.LastUse = ++_clock;
        entry.IdleSince = time.GetUtcNow();
    }
}
