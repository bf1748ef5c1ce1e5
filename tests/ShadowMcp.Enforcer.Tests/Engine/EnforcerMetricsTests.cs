using System.Diagnostics.Metrics;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>Real applies and rollbacks on file backends move shadowmcp.enforcer.actions by command, backend and result.</summary>
public sealed class EnforcerMetricsTests
{
    [Test]
    public async Task ApplyAndRollback_CountActionsByCommandBackendAndResult()
    {
        // The meter is process-wide: backend names of this test's own keep other tests' actions out.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var h = new Harness($$"""
            ttl: 1h
            backends:
              - type: hosts
                name: hosts-{{suffix}}
                path: $DIR/hosts
              - type: dnsmasq
                name: dnsmasq-{{suffix}}
                path: $DIR/dnsmasq.conf
            """);
        var seen = new List<(string Command, string Backend, string Result)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Name == EnforcerMetrics.MeterName) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = new Dictionary<string, string?>();
            foreach (var (k, v) in tags) t[k] = v?.ToString();
            if (t["backend"]!.EndsWith(suffix, StringComparison.Ordinal))
                lock (seen) seen.Add((t["command"]!, t["backend"]!, t["result"]!));
        });
        listener.Start();
        Directory.CreateDirectory(h.PathIn("dnsmasq.conf")); // a directory where the file should be: that backend fails

        await h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);
        await h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(seen, Does.Contain(("apply", $"hosts-{suffix}", "ok")));
        Assert.That(seen, Does.Contain(("apply", $"dnsmasq-{suffix}", "failed")));
        Assert.That(seen, Does.Contain(("rollback", $"hosts-{suffix}", "ok")));
    }
}
