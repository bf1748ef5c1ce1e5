using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using DnsClient;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Dns;

/// <summary>
/// PTR lookups through DnsClient against one configured resolver. Answers (and failures) are cached for the life of
/// this object; all lookups of one call share one time budget, after which the rest are left unnamed.
/// </summary>
internal sealed class DnsClientReverseResolver : IReverseDnsResolver
{
    private readonly ReverseDnsOptions _options;
    private readonly LookupClient? _client;
    private readonly string? _serverText;
    private readonly ConcurrentDictionary<string, string?> _cache = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <param name="time">Clock for the budget; tests pass a fake one so the budget runs out without waiting.</param>
    public DnsClientReverseResolver(ReverseDnsOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        if (string.IsNullOrWhiteSpace(options.Server)) return;
        var endpoint = ParseServer(options.Server);
        _serverText = endpoint.ToString();
        _client = new LookupClient(new LookupClientOptions(new NameServer(endpoint))
        {
            UseCache = true,
            Timeout = options.QueryTimeout,
            Retries = 0,
            ThrowDnsErrors = false,
            UseTcpFallback = false,
            ContinueOnDnsError = false,
        });
    }

    public async Task<ReverseDnsResult> ResolveAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        if (_client is null)
            return new ReverseDnsResult(new Dictionary<string, string>(), new SectionStatus(false, "Reverse DNS is not configured (no resolver address); clients are shown by address."));

        var ips = addresses.Distinct(StringComparer.Ordinal).Where(a => IPAddress.TryParse(a, out _)).Order(StringComparer.Ordinal).ToList();
        using var budgetTimer = new CancellationTokenSource(_options.Budget, _time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetTimer.Token);
        using var gate = new SemaphoreSlim(Math.Max(1, _options.Concurrency));
        var outOfBudget = 0;
        await Task.WhenAll(ips.Select(async ip =>
        {
            if (_cache.ContainsKey(ip)) return;
            try
            {
                await gate.WaitAsync(budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref outOfBudget);
                return;
            }
            try
            {
                _cache[ip] = await LookupAsync(IPAddress.Parse(ip), budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref outOfBudget);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var names = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var ip in ips)
            if (_cache.TryGetValue(ip, out var name) && name is not null) names[ip] = name;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{names.Count} of {ips.Count} client addresses have a PTR name (resolver {_serverText})");
        if (outOfBudget > 0)
            note += string.Create(CultureInfo.InvariantCulture, $"; {outOfBudget} not answered within the {_options.Budget.TotalSeconds:0.###} s budget");
        return new ReverseDnsResult(names, new SectionStatus(true, note + "."));
    }

    private async Task<string?> LookupAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client!.QueryReverseAsync(ip, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (response.HasError) return null;
            var ptr = response.Answers.PtrRecords().Select(r => r.PtrDomainName.Value.TrimEnd('.')).Order(StringComparer.Ordinal).FirstOrDefault();
            return string.IsNullOrEmpty(ptr) ? null : ptr;
        }
        catch (DnsResponseException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timeouts and unreachable resolvers end up here; the address is shown without a name.
            return null;
        }
        catch (DnsResponseException)
        {
            // The budget ran out while the query was in flight.
            throw new OperationCanceledException(cancellationToken);
        }
    }

    internal static IPEndPoint ParseServer(string text)
    {
        var t = text.Trim();
        if (IPAddress.TryParse(t, out var bare)) return new IPEndPoint(bare, 53);
        if (IPEndPoint.TryParse(t, out var withPort) && withPort.Port != 0) return withPort;
        throw new Periods.ReportInputException($"DNS resolver '{text}' is not an address or address:port.");
    }
}
