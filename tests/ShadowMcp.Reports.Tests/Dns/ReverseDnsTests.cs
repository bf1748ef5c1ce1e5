using System.Diagnostics;
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
        var resolver = new DnsClientReverseResolver(new ReverseDnsOptions
        {
            Server = dns.Address, QueryTimeout = TimeSpan.FromSeconds(10), Budget = TimeSpan.FromMilliseconds(400), Concurrency = 4,
        });

        var watch = Stopwatch.StartNew();
        var result = await resolver.ResolveAsync([.. Enumerable.Range(1, 40).Select(i => $"10.0.1.{i}"), "10.0.0.7"], CancellationToken.None);

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(result.Status.Note, Does.Contain("not answered within the 0.4 s budget"));
        Assert.That(result.Names.Keys, Is.SubsetOf(new[] { "10.0.0.7" }));
    }

    [Test]
    public async Task ResolveAsync_NoResolverConfigured_ReturnsAtOnceWithoutNames()
    {
        var resolver = new DnsClientReverseResolver(new ReverseDnsOptions());

        var watch = Stopwatch.StartNew();
        var result = await resolver.ResolveAsync(["10.0.0.7"], CancellationToken.None);

        Assert.That(watch.ElapsedMilliseconds, Is.LessThan(200));
        Assert.That(result.Names, Is.Empty);
        Assert.That(result.Status.Configured, Is.False);
    }
}
