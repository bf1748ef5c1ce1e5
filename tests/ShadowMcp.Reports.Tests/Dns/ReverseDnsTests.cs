using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Reports.Dns;

namespace ShadowMcp.Reports.Tests.Dns;

public sealed class ReverseDnsTests
{
    [Test]
    public async Task ResolveAsync_LoopbackResolver_NamesClientsAndCaches()
    {
        using var dns = new LoopbackDnsResponder();
        dns.Ptr["7.0.0.10.in-addr.arpa"] = "alice-laptop.corp.example.";
        var resolver = new DnsClientReverseResolver(new ReverseDnsOptions { Server = dns.Address });

        var first = await resolver.ResolveAsync(["10.0.0.7", "10.0.0.8", "not-an-ip"], CancellationToken.None);
        var queries = dns.Queries;
        var second = await resolver.ResolveAsync(["10.0.0.7", "10.0.0.8"], CancellationToken.None);

        Assert.That(first.NameOf("10.0.0.7"), Is.EqualTo("alice-laptop.corp.example"));
        Assert.That(first.NameOf("10.0.0.8"), Is.Null);
        Assert.That(first.Status.Note, Does.Contain("1 of 2 client addresses"));
        Assert.That(second.NameOf("10.0.0.7"), Is.EqualTo("alice-laptop.corp.example"));
        Assert.That(dns.Queries, Is.EqualTo(queries), "the second report must be answered from the cache");
    }

    [Test]
    public async Task ResolveAsync_SilentResolver_StopsAtTheBudget()
    {
        using var dns = new LoopbackDnsResponder();
        dns.Ptr["7.0.0.10.in-addr.arpa"] = "alice-laptop.corp.example";
        for (var i = 1; i <= 40; i++) dns.Silent.Add($"{i}.1.0.10.in-addr.arpa");
        var time = new FakeTimeProvider();
        // Queries never time out by themselves here, so only the budget (on the fake clock) can end the call.
        var resolver = new DnsClientReverseResolver(new ReverseDnsOptions
        {
            Server = dns.Address, QueryTimeout = TimeSpan.FromMinutes(10), Budget = TimeSpan.FromMilliseconds(400),
            Concurrency = 4,
        }, time);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var addresses = Enumerable.Range(1, 40).Select(i => $"10.0.1.{i}").Append("10.0.0.7").ToList();
        var run = resolver.ResolveAsync(addresses, CancellationToken.None);
        // 10.0.0.7 sorts first and is answered; then four silent queries fill every slot.
        await dns.QueriesArrivedAsync(5, hangGuard.Token);
        Assert.That(run.IsCompleted, Is.False, "with every slot waiting on a silent query the call is still running");
        time.Advance(TimeSpan.FromMilliseconds(400));
        var result = await run.WaitAsync(hangGuard.Token);

        Assert.That(result.Status.Note, Does.Contain("40 not answered within the 0.4 s budget"));
        Assert.That(result.Names.Keys, Is.EqualTo(new[] { "10.0.0.7" }));
    }

    [Test]
    public void ResolveAsync_NoResolverConfigured_ReturnsAtOnceWithoutNames()
    {
        var resolver = new DnsClientReverseResolver(new ReverseDnsOptions());

        var run = resolver.ResolveAsync(["10.0.0.7"], CancellationToken.None);

        Assert.That(run.IsCompletedSuccessfully, Is.True, "no lookup is started, so nothing is awaited");
        Assert.That(run.Result.Names, Is.Empty);
        Assert.That(run.Result.Status.Configured, Is.False);
    }
}
