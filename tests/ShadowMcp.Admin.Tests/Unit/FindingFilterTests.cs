using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Admin.Tests.Unit;

internal sealed class FindingFilterTests
{
    private static FindingFilter Parse(params (string Key, string Value)[] pairs) =>
        FindingFilter.Parse(new QueryCollection(pairs.ToDictionary(p => p.Key, p => new StringValues(p.Value))));

    [Test]
    public void Parse_ReadsEveryFilterAndRoundTripsThem()
    {
        var f = Parse(("verdict", "Shadow"), ("from", "2026-11-16"), ("to", "2026-11-22"), ("q", " a b&c "), ("page", "3"));
        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(f.FromUtc, Is.EqualTo(new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc)));
            Assert.That(f.ToUtc, Is.EqualTo(new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc)), "'to' includes the whole day");
            Assert.That(f.Text, Is.EqualTo("a b&c"));
            Assert.That(f.Page, Is.EqualTo(3));
            Assert.That(f.Problems, Is.Empty);
            Assert.That(f.ToQuery(4), Is.EqualTo("?verdict=shadow&from=2026-11-16&to=2026-11-22&q=a%20b%26c&page=4"));
        });
    }

    [Test]
    public void Parse_Basis_ReadsAWireName_KeepsItInLinks_AndNamesAnUnknownOne()
    {
        var shape = Parse(("basis", "Shape"), ("verdict", "shadow"));
        var bad = Parse(("basis", "certain"));
        var any = Parse(("basis", "any"));

        Assert.Multiple(() =>
        {
            Assert.That(shape.Basis, Is.EqualTo(FindingBasis.Shape));
            Assert.That(shape.ToFindingQuery(DateTime.UnixEpoch).Bases, Is.EquivalentTo(new[] { FindingBasis.Shape }));
            Assert.That(shape.ToQuery(2), Is.EqualTo("?verdict=shadow&basis=shape&page=2"));
            Assert.That(shape.WithVerdict(null), Is.EqualTo("?basis=shape"), "another verdict keeps the basis");
            Assert.That(bad.Basis, Is.Null);
            Assert.That(bad.Problems, Is.EqualTo(new[] { "Unknown basis 'certain' (use content, decrypted, probe, host, name, shape, other); showing every basis." }));
            Assert.That((any.Basis, any.Problems.Count), Is.EqualTo(((FindingBasis?)null, 0)));
            Assert.That(any.ToFindingQuery(DateTime.UnixEpoch).Bases, Is.Null);
        });
    }

    [Test]
    public void Parse_BadValuesAreDroppedAndNamed()
    {
        var f = Parse(("verdict", "evil"), ("from", "2026-13-01"), ("page", "-2"));
        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.Null);
            Assert.That(f.FromUtc, Is.Null);
            Assert.That(f.Page, Is.EqualTo(1));
            Assert.That(f.Problems, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void Parse_ReversedRangeIsIgnored()
    {
        var f = Parse(("from", "2026-11-20"), ("to", "2026-11-01"));
        Assert.That(f.FromUtc, Is.Null);
        Assert.That(f.ToUtc, Is.Null);
        Assert.That(f.Problems, Has.One.Contains("before 'from'"));
    }

    [Test]
    public void Parse_LongTextIsCut()
    {
        var f = Parse(("q", new string('x', 500)));
        Assert.That(f.Text, Has.Length.EqualTo(FindingFilter.MaxTextLength));
        Assert.That(f.Problems, Has.One.Contains("cut"));
    }
}
