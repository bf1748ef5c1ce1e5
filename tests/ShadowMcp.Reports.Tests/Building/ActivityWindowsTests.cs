using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Tests;

namespace ShadowMcp.Reports.Tests.Building;

/// <summary>
/// The report's flows per finding and week come from one pass over the hourly activity rows, split into runs of weeks
/// read at once on connections of their own. Whatever the split, every finding's flows and activity per interval must
/// be the plain sums of its rows, on both engines.
/// </summary>
[TestFixture(false)]
[TestFixture(true, Category = "Integration")]
public sealed class ActivityWindowsTests(bool postgres)
{
    private static readonly DateTime Monday = new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task EverySplit_GivesThePlainSumsOfTheRows()
    {
        using var seeded = SeededStore.Create(postgres ? LocalPostgres.CreateDatabase("windows") : null);
        using var store = FindingStore.Open(seeded.DbPath);
        var rng = new Random(7);
        var findings = Enumerable.Range(1, 40).Select(i =>
        {
            var first = Monday.AddHours(rng.Next(0, 24 * 21));
            var f = SeededStore.Shadow(new Endpoint($"10.9.0.{i}", 8000, null, "/mcp"), first, rng.Next(1, 500), $"172.16.0.{i}", "s");
            f.LastSeen = first.AddHours(rng.Next(0, 24 * 10));
            return f;
        }).ToList();
        store.SaveFileResult("many.pcap", "sha-many", 1, new ScanStats(), null, findings, Monday.AddDays(30));

        // Bounds on week starts, one off the hour grid's start (a Berlin week) and one past every row.
        DateTime[] bounds = [Monday.AddHours(-1), Monday.AddDays(7), Monday.AddDays(14).AddHours(-1), Monday.AddDays(21), Monday.AddDays(40)];
        var rows = store.Context.FindingActivity.AsNoTracking().ToList();
        Assert.That(rows, Has.Count.GreaterThan(500), "the seed spreads flows over many hours");

        foreach (var parts in new[] { 1, 2, 3, 4, 9 })
        {
            var windows = await ActivityWindows.LoadAsync(store.OpenReadConnection, bounds, parts, CancellationToken.None);
            foreach (var id in rows.Select(r => r.FindingId).Distinct())
                for (var from = 0; from < bounds.Length - 1; from++)
                    for (var to = from + 1; to < bounds.Length; to++)
                    {
                        var inWindow = rows.Where(r => r.FindingId == id && Utc(r.Hour) >= bounds[from] && Utc(r.Hour) < bounds[to]).ToList();
                        Assert.That(windows.Flows(id, bounds[from], bounds[to]), Is.EqualTo(inWindow.Sum(r => (long)r.Flows)), $"parts {parts}, finding {id}, {from}..{to}");
                        Assert.That(windows.Active(id, bounds[from], bounds[to]), Is.EqualTo(inWindow.Count > 0), $"parts {parts}, finding {id}, {from}..{to}");
                    }
        }
    }

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
