using Microsoft.Data.Sqlite;
using Npgsql;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Tests.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>
/// The read API on each engine gives what the store's own model load says: every filter, every sort in both
/// directions, pages that add up to the whole list in order, counts per verdict and per triage status, groups, and
/// one finding with its evidence. The store is seeded once per engine and only read.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class FindingReaderTests(StoreKind kind)
{
    private const int PageSize = 4;
    private static readonly DateTime T0 = ReadingStore.T0;

    private string _dir = "";
    private string _target = "";
    private List<ModelFinding> _model = [];

    [OneTimeSetUp]
    public void Seed()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-reading-").FullName;
        _target = ReadingStore.Seed(kind, _dir);
        _model = ReadingStore.Model(_target);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<T> Read<T>(Func<FindingReader, Task<T>> read)
    {
        await using var db = ShadowMcpDbContext.Open(_target);
        return await read(new FindingReader(db));
    }

    /// <summary>Every page of <paramref name="query"/>, checking each page's numbers on the way.</summary>
    private async Task<List<FindingSummary>> AllPages(FindingQuery query)
    {
        var rows = new List<FindingSummary>();
        var first = await Read(r => r.PageAsync(query, 1, PageSize, CancellationToken.None));
        rows.AddRange(first.Items);
        for (var p = 2; p <= first.Pages; p++)
        {
            var page = await Read(r => r.PageAsync(query, p, PageSize, CancellationToken.None));
            Assert.That((page.Page, page.Total, page.Pages), Is.EqualTo((p, first.Total, first.Pages)));
            Assert.That(page.Items, Has.Count.EqualTo(p < first.Pages ? PageSize : first.Total - PageSize * (first.Pages - 1)));
            rows.AddRange(page.Items);
        }
        Assert.That(rows, Has.Count.EqualTo(first.Total));
        return rows;
    }

    private static IEnumerable<TestCaseData> Sorts() =>
        from sort in Enum.GetValues<FindingSort>()
        from down in new[] { false, true }
        select new TestCaseData(sort, down).SetArgDisplayNames(sort.ToString(), down ? "desc" : "asc");

    [TestCaseSource(nameof(Sorts))]
    public async Task Pages_InEverySort_AddUpToTheWholeListInTheModelsOrder(FindingSort sort, bool descending)
    {
        var query = new FindingQuery { Sort = sort, Descending = descending };

        var rows = await AllPages(query);

        Assert.That(rows.Select(r => r.EndpointKey), Is.EqualTo(ModelOracle.Run(_model, query).Select(m => m.Key)));
        Assert.That(rows, Has.Count.EqualTo(ReadingStore.Count));
    }

    private static IEnumerable<TestCaseData> Filters()
    {
        TestCaseData Case(string name, FindingQuery q) => new TestCaseData(q).SetArgDisplayNames(name);
        yield return Case("shadow", FindingQuery.All.WithVerdict(Verdict.Shadow));
        yield return Case("suspected or sanctioned", new FindingQuery { Verdicts = new HashSet<Verdict> { Verdict.Suspected, Verdict.Sanctioned } });
        yield return Case("no verdict", new FindingQuery { Verdicts = new HashSet<Verdict>() });
        foreach (var s in TriageStatusNames.All) yield return Case("status " + s.ToWire(), FindingQuery.All.WithStatus(s));
        yield return Case("open", new FindingQuery { Statuses = new HashSet<TriageStatus> { TriageStatus.New, TriageStatus.UnderReview } });
        yield return Case("decided", new FindingQuery { Statuses = new HashSet<TriageStatus> { TriageStatus.Blocked, TriageStatus.FalsePositive, TriageStatus.Approved } });
        yield return Case("active window", new FindingQuery { ActiveFromUtc = T0.AddHours(-20), ActiveToUtc = T0.AddHours(-5) });
        yield return Case("first seen from", new FindingQuery { FirstSeenFromUtc = T0.AddHours(-18) });
        yield return Case("first seen before", new FindingQuery { FirstSeenBeforeUtc = T0.AddHours(-30) });
        yield return Case("overdue-like", new FindingQuery
        {
            FirstSeenBeforeUtc = T0.AddHours(-6), Statuses = new HashSet<TriageStatus> { TriageStatus.New, TriageStatus.UnderReview },
            Verdicts = new HashSet<Verdict> { Verdict.Shadow, Verdict.Suspected }, Sort = FindingSort.FirstSeen, Descending = false,
        });
        yield return Case("shadow by flows", FindingQuery.All.WithVerdict(Verdict.Shadow) with { Sort = FindingSort.Flows });
        foreach (var b in FindingBasisNames.All) yield return Case("basis " + b.ToWire(), FindingQuery.All.WithBasis(b));
        yield return Case("basis name or shape", new FindingQuery { Bases = new HashSet<FindingBasis> { FindingBasis.Name, FindingBasis.Shape } });
        yield return Case("no basis", new FindingQuery { Bases = new HashSet<FindingBasis>() });
        yield return Case("shadow shape leads", FindingQuery.All.WithVerdict(Verdict.Shadow).WithBasis(FindingBasis.Shape));
    }

    [TestCaseSource(nameof(Filters))]
    public async Task Pages_OfEveryFilter_AreTheModelsMatches(FindingQuery query)
    {
        var expected = ModelOracle.Run(_model, query);

        var rows = await AllPages(query);

        Assert.That(rows.Select(r => r.EndpointKey), Is.EqualTo(expected.Select(m => m.Key)));
        Assert.That(rows.Select(r => (r.Verdict, r.Status, r.Owner)), Is.EqualTo(expected.Select(m => (m.Finding.Verdict, m.Status, m.Owner))));
    }

    [Test]
    public async Task Summary_CarriesEveryBasis_AsTheSeedMadeIt_AndAsCoresMappingGivesIt()
    {
        var rows = await AllPages(FindingQuery.All);

        Assert.Multiple(() =>
        {
            for (var i = 0; i < ReadingStore.Count; i++)
            {
                var r = rows.Single(x => x.EndpointKey == ReadingStore.Key(i));
                Assert.That(r.Bases.ToString(), Is.EqualTo(ReadingStore.BasisOf(i)), $"finding {i}");
                Assert.That(r.Bases, Is.EqualTo(_model.Single(m => m.Key == r.EndpointKey).Bases), $"finding {i}");
            }
        });
        Assert.That(rows.Select(r => r.Bases.Primary).Distinct(), Is.EquivalentTo(FindingBasisNames.All), "the seed has every basis");
    }

    [Test]
    public async Task Basis_FilterOfEachBasis_IsTheFindingsWithThatPrimary()
    {
        foreach (var b in FindingBasisNames.All)
        {
            var rows = await AllPages(FindingQuery.All.WithBasis(b));
            var expected = Enumerable.Range(0, ReadingStore.Count).Where(i => ReadingStore.BasisOf(i).Split(' ')[0] == b.ToWire()).Select(ReadingStore.Key);
            Assert.That(rows.Select(r => r.EndpointKey), Is.EquivalentTo(expected), b.ToWire());
        }
    }

    [Test]
    public async Task Bases_OfOneFinding_OrNull()
    {
        var probe = _model.Single(m => m.Key == ReadingStore.Key(ReadingStore.ProbeOnly));

        var bases = await Read(r => r.GetBasesAsync(probe.Id, CancellationToken.None));
        var missing = await Read(r => r.GetBasesAsync(-1, CancellationToken.None));

        Assert.That(bases?.All, Is.EqualTo(new[] { FindingBasis.Probe }));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task Summary_CarriesTheFindingsFieldsInUtc()
    {
        var rows = await AllPages(FindingQuery.All);

        foreach (var m in _model)
        {
            var r = rows.Single(x => x.EndpointKey == m.Key);
            var f = m.Finding;
            Assert.That((r.Id, r.Host, r.Transport, r.ServerName, r.ServerVersion, r.Confidence, r.Flows, r.EvidenceCount),
                Is.EqualTo((m.Id, f.Endpoint.Host, f.Transport, f.Server?.Name, f.Server?.Version, f.Confidence, f.Flows, f.Evidence.Count)), m.Key);
            Assert.That((r.FirstSeen, r.LastSeen), Is.EqualTo((f.FirstSeen, f.LastSeen)), m.Key);
            Assert.That((r.FirstSeen.Kind, r.LastSeen.Kind), Is.EqualTo((DateTimeKind.Utc, DateTimeKind.Utc)), m.Key);
            Assert.That(r.Hosts, Is.EqualTo(f.Hosts), m.Key);
            Assert.That(r.Clients, Is.EqualTo(f.Clients), m.Key);
        }
    }

    [Test]
    public async Task Page_PastTheEnd_IsTheLastPage_AndNoMatchIsPageOneOfOne()
    {
        var last = await Read(r => r.PageAsync(FindingQuery.All, 99, PageSize, CancellationToken.None));
        var none = await Read(r => r.PageAsync(new FindingQuery { Text = "no such thing" }, 3, PageSize, CancellationToken.None));

        Assert.That((last.Page, last.Pages, last.Items.Count), Is.EqualTo((6, 6, ReadingStore.Count - 5 * PageSize)));
        Assert.That((none.Page, none.Pages, none.Total, none.Items.Count), Is.EqualTo((1, 1, 0, 0)));
    }

    private static IEnumerable<TestCaseData> Texts()
    {
        TestCaseData Case(string text, params int[] findings) => new TestCaseData(text, findings).SetArgDisplayNames(text);
        // Case does not matter (ASCII), on either engine.
        yield return Case("mcp.EXAMPLE", 0);
        yield return Case("everything", 13);
        yield return Case("WRITE_FILE", 11);
        yield return Case("secret-path", 12);
        // % and _ are the user's characters, not wildcards: "100%" is not "100 then anything".
        yield return Case("100%", 6);
        yield return Case("_done", 6);
        yield return Case("100", 6, 9);
        // Clients and hosts are JSON lists in the store; a search still finds their elements.
        yield return Case("10.1.0.3", 3, 7, 11, 15, 19);
        yield return Case("h16.corp", 16);
    }

    [TestCaseSource(nameof(Texts))]
    public async Task Text_MatchesInAnyCaseAndLiterally(string text, int[] findings)
    {
        var rows = await AllPages(new FindingQuery { Text = text, Sort = FindingSort.Endpoint });

        Assert.That(rows.Select(r => r.EndpointKey), Is.EquivalentTo(findings.Select(ReadingStore.Key)));
    }

    [Test]
    public async Task CountByVerdict_AgreesWithTheModel()
    {
        var since = T0.AddHours(-24);
        var query = new FindingQuery { ActiveFromUtc = T0.AddHours(-40) };
        var matching = ModelOracle.Run(_model, query);

        var counts = await Read(r => r.CountByVerdictAsync(query, since, CancellationToken.None));

        int Of(Verdict v) => matching.Count(m => m.Finding.Verdict == v);
        Assert.That(counts, Is.EqualTo(new VerdictCounts(Of(Verdict.Shadow), Of(Verdict.Suspected), Of(Verdict.Sanctioned),
            matching.Count(m => m.Finding.FirstSeen >= since))));
        Assert.That(counts.Total, Is.EqualTo(matching.Count));
    }

    [Test]
    public async Task CountByStatus_AgreesWithTheModel_AndTriagedRowsStillNewCountAsNew()
    {
        var counts = await Read(r => r.CountByStatusAsync(FindingQuery.All, CancellationToken.None));
        var shadow = await Read(r => r.CountByStatusAsync(FindingQuery.All.WithVerdict(Verdict.Shadow), CancellationToken.None));

        Assert.That(counts, Is.EquivalentTo(TriageStatusNames.All.ToDictionary(s => s, s => _model.Count(m => m.Status == s))));
        Assert.That(counts[TriageStatus.New], Is.EqualTo(ReadingStore.Count - 5), "keys 8 and 10 have a row, and it says new");
        Assert.That(shadow, Is.EquivalentTo(TriageStatusNames.All.ToDictionary(s => s,
            s => _model.Count(m => m.Status == s && m.Finding.Verdict == Verdict.Shadow))));
    }

    [Test]
    public async Task GroupByServer_AgreesWithTheModel()
    {
        var since = T0.AddHours(-24);

        var groups = await Read(r => r.GroupByServerAsync(FindingQuery.All, since, CancellationToken.None));

        var expected = _model.GroupBy(m => m.Finding.Server?.Name ?? "").Select(g => Group(g.Key, [.. g], since));
        Assert.That(groups, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task GroupByClient_AgreesWithTheModel()
    {
        var since = T0.AddHours(-24);
        var query = FindingQuery.All.WithVerdict(Verdict.Shadow);

        var groups = await Read(r => r.GroupByClientAsync(query, since, CancellationToken.None));

        var expected = ModelOracle.Run(_model, query).SelectMany(m => m.Finding.Clients.Select(c => (Client: c, m)))
            .GroupBy(x => x.Client).Select(g => Group(g.Key, [.. g.Select(x => x.m)], since));
        Assert.That(groups, Is.EquivalentTo(expected));
    }

    private static FindingGroup Group(string key, List<ModelFinding> members, DateTime since) =>
        new(key, members.Count, members.Sum(m => (long)m.Finding.Flows), members.Count(m => m.Finding.Verdict == Verdict.Shadow),
            members.Count(m => m.Finding.Verdict == Verdict.Suspected), members.Count(m => m.Finding.Verdict == Verdict.Sanctioned),
            members.Count(m => m.Finding.FirstSeen >= since), members.Max(m => m.Finding.LastSeen));

    [Test]
    public async Task Get_GivesTheFindingWithItsEvidence_OrNull()
    {
        var model = _model.Single(m => m.Key == ReadingStore.Key(12));

        var finding = await Read(r => r.GetAsync(model.Id, CancellationToken.None));
        var missing = await Read(r => r.GetAsync(-1, CancellationToken.None));

        Assert.That(finding, Is.Not.Null);
        Assert.That(finding!.Endpoint, Is.EqualTo(model.Finding.Endpoint));
        Assert.That(finding.Verdict, Is.EqualTo(model.Finding.Verdict));
        Assert.That(finding.Evidence.Select(e => (e.Rule, e.Detail, e.Example)),
            Is.EqualTo(model.Finding.Evidence.Select(e => (e.Rule, e.Detail, e.Example))));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task Stream_And_Keys_FollowTheListsOrder_UpToTheCap()
    {
        var query = new FindingQuery { Sort = FindingSort.Confidence };
        var expected = ModelOracle.Run(_model, query).Select(m => m.Key).ToList();
        await using var db = ShadowMcpDbContext.Open(_target);
        var reader = new FindingReader(db);

        var streamed = new List<string>();
        await foreach (var r in reader.StreamAsync(query, 10)) streamed.Add(r.EndpointKey);
        var keys = await reader.KeysAsync(query, 7, CancellationToken.None);

        Assert.That(streamed, Is.EqualTo(expected.Take(10)));
        var all = new List<FindingSummary>();
        await foreach (var r in reader.StreamAsync(query, int.MaxValue)) all.Add(r);
        Assert.That(all.Select(r => r.EndpointKey), Is.EqualTo(expected));
        Assert.That(all.Select(r => r.Bases.ToString()), Is.EqualTo(expected.Select(k =>
            ReadingStore.BasisOf(Enumerable.Range(0, ReadingStore.Count).Single(i => ReadingStore.Key(i) == k)))));
        Assert.That(keys, Is.EqualTo(expected.Take(7)));
    }

    [Test]
    public async Task ExistingKeys_KeepsOnlyFindingsInTheStore_EachOnce()
    {
        var asked = new[] { ReadingStore.Key(3), "10.9.9.9:1/mcp", ReadingStore.Key(3), ReadingStore.Key(0), "" };

        var found = await Read(r => r.ExistingKeysAsync(asked, CancellationToken.None));

        Assert.That(found, Is.EquivalentTo(new[] { ReadingStore.Key(3), ReadingStore.Key(0) }));
    }
}
