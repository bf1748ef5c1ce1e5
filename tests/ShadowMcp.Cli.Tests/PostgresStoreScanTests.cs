using Microsoft.Data.Sqlite;
using Npgsql;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `scan --db postgres://...` on a real PostgreSQL server (<see cref="LocalPostgres"/>): the same findings as the
/// embedded SQLite store, and two scanners writing one store at the same time neither lose nor duplicate a finding.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresStoreScanTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-cli-pg-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Scan_SampleIntoPostgres_StoresTheSameFindingsAsSqlite()
    {
        var sqlite = Path.Combine(_dir, "store.db");
        var postgres = LocalPostgres.CreateDatabase("scansample");
        var password = Uri.UnescapeDataString(new Uri(postgres).UserInfo.Split(':')[1]);

        var intoSqlite = CliProcess.Run("scan", RepoPaths.Sample, "--db", sqlite);
        var intoPostgres = CliProcess.Run("scan", RepoPaths.Sample, "--db", postgres, "--verbose");

        Assert.That(intoSqlite.ExitCode, Is.Zero, intoSqlite.Stderr);
        Assert.That(intoPostgres.ExitCode, Is.Zero, intoPostgres.Stderr);
        Assert.That(intoPostgres.Stdout + intoPostgres.Stderr, Does.Not.Contain(password));
        var expected = Stored(sqlite);
        Assert.That(expected, Is.Not.Empty);
        Assert.That(Stored(postgres), Is.EqualTo(expected));
    }

    // Both processes scan every corpus capture, in opposite orders, so they write the same files and endpoints at
    // the same time; the store must end as if the files had been scanned once.
    [Test]
    public async Task Scan_TwoProcessesIntoOnePostgresAtOnce_NoFindingLostOrDuplicated()
    {
        string[] files = [RepoPaths.Sample, .. Directory.GetFiles(Path.Combine(RepoPaths.Corpus, "pcaps")).Order(StringComparer.Ordinal)];
        var sqlite = Path.Combine(_dir, "store.db");
        var postgres = LocalPostgres.CreateDatabase("scanrace");

        Assert.That(CliProcess.Run(["scan", .. files, "--db", sqlite]).ExitCode, Is.Zero);
        var first = Task.Run(() => CliProcess.Run(["scan", .. files, "--db", postgres]));
        var second = Task.Run(() => CliProcess.Run(["scan", .. files.Reverse(), "--db", postgres]));
        var results = await Task.WhenAll(first, second);

        foreach (var r in results) Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var store = FindingStore.Open(postgres);
        using var expectedStore = FindingStore.Open(sqlite);
        Assert.Multiple(() =>
        {
            Assert.That(store.LoadFiles().Select(f => f.Sha256).Order(), Is.EqualTo(expectedStore.LoadFiles().Select(f => f.Sha256).Order()));
            Assert.That(store.Context.FindingSources.Count(), Is.EqualTo(expectedStore.Context.FindingSources.Count()));
            Assert.That(OrderIndependent(store.LoadFindings()), Is.EqualTo(OrderIndependent(expectedStore.LoadFindings())));
        });
    }

    /// <summary>Every stored finding in a comparable form (times as ticks: SQLite reads them back without a Kind).</summary>
    private static List<string> Stored(string target)
    {
        using var store = FindingStore.Open(target);
        return [.. store.LoadFindings().Select(f => string.Join(" | ",
            f.Endpoint.Key, f.Verdict, f.Transport, f.Flows, f.Confidence, f.FirstSeen.Ticks, f.LastSeen.Ticks, f.Server?.Name,
            string.Join(",", f.Clients.Order(StringComparer.Ordinal)), string.Join(",", f.ProtocolVersions.Order(StringComparer.Ordinal)),
            string.Join(",", f.Evidence.Select(e => $"{e.Rule}:{e.Detail}:{e.Count}").Order(StringComparer.Ordinal))))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>What does not depend on which file result was merged last: the endpoint, its flows and its clients.</summary>
    private static List<string> OrderIndependent(IReadOnlyList<Finding> findings) =>
        [.. findings.Select(f => $"{f.Endpoint.Key} | {f.Flows} | {string.Join(",", f.Clients.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal)];
}
