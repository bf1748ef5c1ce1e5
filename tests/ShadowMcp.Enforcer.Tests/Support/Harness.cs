using Microsoft.Data.Sqlite;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// A temp directory for the backends' files, a store (a SQLite file in it, or a fresh database on the run's
/// PostgreSQL server), a policy parsed from YAML text, and the engine over its backends.
/// </summary>
internal sealed class Harness : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("smcp-enforcer-").FullName;
    public string DbPath => Path.Combine(Dir, "store.db");

    /// <summary>What `--db` names: <see cref="DbPath"/>, or the PostgreSQL database's URL.</summary>
    public string Target { get; }
    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
    public EnforcerStore Store { get; }
    public EnforcementPolicy Policy { get; private set; } = null!;
    public EnforcementEngine Engine { get; private set; } = null!;
    public IReadOnlyList<IEnforcementBackend> Backends { get; private set; } = [];

    public Harness(string policyYaml, StoreKind kind = StoreKind.Sqlite)
    {
        Target = kind == StoreKind.Postgres ? LocalPostgres.CreateDatabase("enforcer") : DbPath;
        Store = EnforcerStore.Open(Target);
        UsePolicy(policyYaml);
    }

    public void UsePolicy(string policyYaml)
    {
        Policy = PolicyLoader.Parse(policyYaml.Replace("$DIR", Dir, StringComparison.Ordinal), "policy.yaml");
        Backends = BackendFactory.Create(Policy, Store, Time);
        Engine = new EnforcementEngine(Store, Policy, Backends, Time, "test-user");
    }

    /// <summary>The engine as `apply --allow-collateral` builds it.</summary>
    public void AllowCollateral() =>
        Engine = new EnforcementEngine(Store, Policy, Backends, Time, "test-user") { AllowCollateral = true };

    /// <summary>The engine with a step hook (see <see cref="EnforcementEngine.Step"/>).</summary>
    public void UseStep(Action<string> step) =>
        Engine = new EnforcementEngine(Store, Policy, Backends, Time, "test-user") { Step = step };

    public string PathIn(string name) => Path.Combine(Dir, name);

    public void Dispose()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
