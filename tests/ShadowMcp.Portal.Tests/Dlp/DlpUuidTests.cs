using System.Text.Json;
using System.Text.Json.Nodes;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>UUIDs are ids, not numbers: their dash groups are sometimes all digits and pass Luhn by chance.</summary>
public sealed class DlpUuidTests
{
    [Test]
    public void RandomUuids_InEveryCommonForm_AreNeverCards()
    {
        var random = new Random(7);
        var bytes = new byte[16];
        var flagged = new List<string>();
        for (var n = 0; n < 20_000 && flagged.Count < 5; n++)
        {
            random.NextBytes(bytes);
            var id = new Guid(bytes);
            foreach (var text in new[] { id.ToString("D"), id.ToString("B"), id.ToString("D").ToUpperInvariant(), $"urn:uuid:{id} 42" })
            {
                if (DlpScanner.ScanText(text, "$", redact: false).Hits.Count > 0) flagged.Add(text);
            }
        }
        Assert.That(flagged, Is.Empty);
    }

    [Test]
    public void UuidList_AsJsonResult_IsClean()
    {
        var random = new Random(11);
        var ids = Enumerable.Range(0, 2_000).Select(_ => { var b = new byte[16]; random.NextBytes(b); return new Guid(b); });
        var json = JsonSerializer.Serialize(new { items = ids.Select((id, i) => new { id, seq = i }) });
        Assert.That(DlpScanner.Scan(JsonNode.Parse(json), redact: false).Hits, Is.Empty);
    }

    [TestCase("12345678-4111-1111-1111-111111111111")] // all digits, a card in the middle groups
    [TestCase("41111111-1111-1111-1111-1111abcdef12")] // a 4-4-4-4 card from the digit prefix of the last group
    public void UuidShapedDigits_AreNotCards(string text)
    {
        Assert.That(DlpScanner.ScanText(text, "$", redact: false).Hits, Is.Empty);
    }

    [TestCase("card 4111 1111 1111 1111 for order 3f2a8c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f")]
    [TestCase("3f2a8c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f 4111-1111-1111-1111")]
    [TestCase("id 4111-1111-1111-1111-1111-1111")] // not a UUID shape: the card inside is still found
    public void CardsBesideUuids_AreStillFound(string text)
    {
        Assert.That(DlpScanner.ScanText(text, "$", redact: false).Hits.Select(h => h.Detector), Does.Contain("card-number"));
    }
}
