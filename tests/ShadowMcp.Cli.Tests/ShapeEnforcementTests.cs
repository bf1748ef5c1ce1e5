using System.CommandLine;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Cli;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A real keyless TLS capture of an MCP session (tests/corpus/shape/pcaps) gives a shape-only finding; `enforce plan`
/// with a policy that selects suspected findings still plans no block for it unless the policy lists
/// <c>shape</c> in <c>select.bases</c>, and says which finding it passed over and why.
/// </summary>
public sealed class ShapeEnforcementTests
{
    private string _dir = "";
    private string Db => Path.Combine(_dir, "store.db");

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-shape-enforce-").FullName;
        using var store = FindingStore.Open(Db);
        var report = new ScanRunner(McpClassifier.Create(RepoPaths.Rules), store, NullLogger.Instance)
        {
            ShapeModel = ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json")),
        }.Run([Path.Combine(RepoPaths.Corpus, "shape", "pcaps", "mcp-ts-agent-stateful.pcap")]);
        Assert.That(report.Findings.Select(f => f.Verdict), Is.EqualTo(new[] { ShadowMcp.Core.Findings.Verdict.Suspected }),
            "the capture gives one shape-only suspected finding");
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Plan_ShapeOnlyFinding_IsPassedOverByDefault()
    {
        var (code, json, text) = await Plan(bases: null);

        Assert.That(code, Is.Zero);
        using var doc = JsonDocument.Parse(json);
        var passed = doc.RootElement.GetProperty("passedOver").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("entries").GetArrayLength(), Is.Zero, "nothing is blocked on shape alone");
            Assert.That(passed, Has.Count.EqualTo(1));
            Assert.That(passed[0].GetProperty("bases").EnumerateArray().Select(b => b.GetString()), Is.EqualTo(new[] { "shape" }));
            Assert.That(text, Does.Contain($"not blocked: {passed[0].GetProperty("finding").GetString()} rests on shape only (select.bases)"));
        });
    }

    [Test]
    public async Task Plan_PolicyListingShape_BlocksTheServerAddressAndPort()
    {
        var (code, json, _) = await Plan(bases: "[content, decrypted, name, host, shape]");

        Assert.That(code, Is.Zero);
        using var doc = JsonDocument.Parse(json);
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(entries, Has.Count.EqualTo(1));
            Assert.That(entries[0].GetProperty("entry").GetProperty("kind").GetString(), Is.EqualTo("address-port"));
            Assert.That(doc.RootElement.GetProperty("passedOver").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task BlockState_ShapeOnlyFinding_SaysWhyItIsNotBlocked()
    {
        var policy = WritePolicy(bases: null);
        string key;
        using (var store = FindingStore.Open(Db))
            key = store.LoadFindings().Single().Endpoint.Key;

        var states = (await new EnforcementDataSources(policy, Db, () => [], TimeProvider.System)
            .GetStatesAsync([key], DateTime.UtcNow, CancellationToken.None))!;

        Assert.That(states[key].ToString(), Is.EqualTo("not blocked (rests on shape only: select.bases)"),
            "the report and admin UI say what kept a finding the policy would otherwise block from being blocked");
    }

    [Test]
    public async Task AdminPlan_ShapeOnlyFinding_NamesItAsNotBlockedForItsBasis()
    {
        string key;
        using (var store = FindingStore.Open(Db))
            key = store.LoadFindings().Single().Endpoint.Key;

        var plan = await new EnforcementDataSources(WritePolicy(bases: null), Db, () => [], TimeProvider.System).PlanAsync(CancellationToken.None);

        Assert.That(plan.Succeeded, Is.True, plan.Message);
        Assert.That(plan.Message, Does.EndWith($"; not blocked for what their evidence rests on (select.bases): {key} (shape)"));
    }

    /// <summary>`enforce plan` as JSON and as text, with a policy selecting shadow and suspected findings.</summary>
    private async Task<(int Code, string Json, string Text)> Plan(string? bases)
    {
        var policy = WritePolicy(bases);
        var (code, json) = await Run("plan", "--policy", policy, "--db", Db, "--format", "json");
        var (_, text) = await Run("plan", "--policy", policy, "--db", Db);
        return (code, json, text);
    }

    private string WritePolicy(string? bases)
    {
        var policy = Path.Combine(_dir, "enforce.yaml");
        File.WriteAllText(policy, "version: 1\nselect:\n  verdicts: [shadow, suspected]\n"
            + (bases is null ? "" : $"  bases: {bases}\n")
            + $"backends:\n  - type: hosts\n    path: {Path.Combine(_dir, "hosts")}\n");
        return policy;
    }

    private static async Task<(int Code, string Out)> Run(params string[] args)
    {
        var root = new RootCommand { EnforceCommands.Create(TimeProvider.System) };
        var output = new StringWriter();
        var code = await root.Parse(["enforce", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (code, output.ToString());
    }
}
