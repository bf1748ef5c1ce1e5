using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>
/// The false-positive budget on realistic tool traffic: thousands of generated results (seeded, so the same
/// every run) full of UUIDs, timestamps, epoch times, order and ticket ids, hashes, git SHAs, phone numbers,
/// prices, IPs and base64 blobs. Budget: no result may be flagged at all.
/// </summary>
public sealed class DlpFalsePositiveBudgetTests
{
    private const int Results = 2000;
    private const int Budget = 0;

    [Test]
    public void RealisticTraffic_StaysWithinTheFalsePositiveBudget()
    {
        var random = new Random(20261204);
        var flagged = new List<string>();
        for (var i = 0; i < Results; i++)
        {
            var json = JsonSerializer.Serialize(Result(random));
            if (DlpPrescan.MayMatch(System.Text.Encoding.UTF8.GetBytes(json))
                && DlpScanner.Scan(System.Text.Json.Nodes.JsonNode.Parse(json), redact: false) is { Hits.Count: > 0 } r)
                flagged.Add($"{r.Summary} at {string.Join(",", r.Hits.Select(h => h.Path))}: {json}");
        }
        Assert.That(flagged.Count, Is.LessThanOrEqualTo(Budget), string.Join("\n", flagged.Take(10)));
    }

    private static object Result(Random random)
    {
        var at = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.NextInt64(0, 7L * 365 * 86400));
        var bytes = new byte[random.Next(16, 48)];
        random.NextBytes(bytes);
        var sha = new byte[32];
        random.NextBytes(sha);
        return new
        {
            id = new Guid(bytes.AsSpan(0, 16)),
            created = at.ToString("O", CultureInfo.InvariantCulture),
            updated = at.AddMinutes(random.Next(1, 5000)).ToUnixTimeMilliseconds(),
            epoch = at.ToUnixTimeSeconds(),
            order = $"ORD-{at.Year}-{random.Next(0, 1_000_000):D6}",
            ticket = $"JIRA-{random.Next(1, 99999)}",
            invoice = random.NextInt64(100_000_000, 999_999_999),
            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            commit = Convert.ToHexStringLower(sha)[..40],
            phone = $"+1 {random.Next(200, 999)}-{random.Next(200, 999)}-{random.Next(0, 9999):D4}",
            phoneIntl = $"+44 20 {random.Next(1000, 9999)} {random.Next(1000, 9999)}",
            price = Math.Round(random.NextDouble() * 10000, 2),
            quantity = random.Next(1, 500),
            ip = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}",
            blob = Convert.ToBase64String(bytes),
            tags = new[] { "alpha", "beta", $"build-{random.Next(1000, 9999)}" },
            years = new[] { at.Year - 1, at.Year, at.Year + 1 },
            text = $"Deployed {random.Next(1, 40)} pods in {random.Next(100, 99999)} ms at {at:yyyy-MM-dd HH:mm:ss}",
        };
    }
}
