using System.Text.Json;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Core.Tests.Serialization;

/// <summary>
/// The claimed sanctioned names a sensor held a finding for travel in its document to the centre (which must hold
/// it too), and are absent from the document when there are none, so every other finding's JSON is unchanged.
/// </summary>
public sealed class FindingDocumentTests
{
    private static Finding Held()
    {
        var f = new Finding
        {
            Endpoint = new Endpoint("10.66.0.9", 8080, null, "/mcp"), Verdict = Verdict.Suspected, VerdictReason = "held at suspected",
        };
        f.ClaimedNames.Add("mcp.corp.example");
        return f;
    }

    [Test]
    public void RoundTrip_ClaimedNames_ArriveAtTheCentre()
    {
        var json = JsonSerializer.Serialize(FindingDocument.From(Held()), JsonDefaults.Options);

        var back = JsonSerializer.Deserialize<FindingDocument>(json, JsonDefaults.Options)!.ToFinding();

        Assert.That(back.ClaimedNames, Is.EqualTo(new[] { "mcp.corp.example" }));
    }

    [Test]
    public void Serialize_NoClaimedNames_LeavesTheFieldOut()
    {
        var f = Held();
        f.ClaimedNames.Clear();

        var json = JsonSerializer.Serialize(FindingDocument.From(f), JsonDefaults.Options);

        Assert.That(json, Does.Not.Contain("claimedNames"));
    }
}
