using System.CommandLine;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;
using ShadowMcp.Core;

namespace ShadowMcp.Portal.Cli;

/// <summary>
/// The `portal` and `audit` commands for the shadowmcp CLI:
/// portal --config FILE [--urls URL...] [--db PATH]; portal token create|revoke|list; portal approve SERVER;
/// audit verify; audit export --format jsonl; audit import [FILE].
/// </summary>
public static class PortalCommands
{
    public static IEnumerable<Command> Create() => Create(Console.Out, Console.Error);

    internal static IEnumerable<Command> Create(TextWriter stdout, TextWriter stderr)
    {
        yield return CreatePortal(stdout, stderr);
        yield return CreateAudit(stdout, stderr);
    }

    private static Option<string> DbOption() => new("--db")
    {
        Description = "Store: a SQLite file, or a postgres:// URL or Npgsql connection string (default: the shared ShadowMcp store)",
        Recursive = true,
    };

    private static Command CreatePortal(TextWriter stdout, TextWriter stderr)
    {
        var db = DbOption();
        var config = new Option<string>("--config") { Description = "Portal config file (JSON)", Recursive = true };
        var urls = new Option<string[]>("--urls")
        {
            Description = $"URLs to listen on (default {PortalHost.DefaultUrl}); several may be given or separated by ';'",
            AllowMultipleArgumentsPerToken = true,
        };
        var portal = new Command("portal", "Run the governed MCP portal, or manage its tokens and approvals") { config, urls, db };
        portal.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(config);
            if (string.IsNullOrEmpty(path)) { stderr.WriteLine("portal: --config FILE is required"); return (int)ExitCode.Usage; }
            PortalConfig cfg;
            try { cfg = PortalConfigLoader.Load(path); }
            catch (PortalConfigException e) { stderr.WriteLine($"portal: {e.Message}"); return (int)ExitCode.Usage; }
            var listen = (parse.GetValue(urls) ?? []).SelectMany(u => u.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            await using var app = PortalHost.Build(cfg, DbPath(parse, db), listen, LogLevel.Information);
            try { await app.StartAsync(ct); }
            catch (IOException e)
            {
                // Kestrel's "Failed to bind to address ...: address already in use." says it all; no stack trace.
                stderr.WriteLine($"portal: cannot listen: {e.Message}");
                return (int)ExitCode.Usage;
            }
            // Whether `shadowmcp` restarted the portal under server GC (Cli's ServerGcRelaunch); before the line
            // scripts wait for, which stays as it was.
            stderr.WriteLine($"portal: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
            stderr.WriteLine($"portal listening on {string.Join(", ", app.Urls)}");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { /* Ctrl+C */ }
            await app.StopAsync(CancellationToken.None);
            return (int)ExitCode.Success;
        });

        var token = new Command("token", "Create, revoke or list API tokens");
        var group = new Option<string>("--group") { Description = "Group the token belongs to", Required = true };
        var name = new Option<string?>("--name") { Description = "A label for the token (who or what uses it)" };
        var days = new Option<int?>("--expires-days") { Description = "Days until the token expires (default: never)" };
        days.Validators.Add(r => { if (r.GetValue(days) is <= 0) r.AddError("--expires-days must be a positive number of days"); });
        var create = new Command("create", "Create a token for a group the config defines; it is printed once and only its hash is stored")
            { group, name, days };
        create.SetAction(parse => Run(stderr, () =>
        {
            if (parse.GetValue(config) is not { Length: > 0 } configPath)
            {
                stderr.WriteLine("portal token create: --config FILE is required (the group must be one the config defines)");
                return ExitCode.Usage;
            }
            PortalConfig cfg;
            try { cfg = PortalConfigLoader.Load(configPath); }
            catch (PortalConfigException e) { stderr.WriteLine($"portal token create: {e.Message}"); return ExitCode.Usage; }
            if (GroupNameCheck.Problem(parse.GetValue(group)!, cfg.Groups.Keys) is { } problem)
            {
                stderr.WriteLine($"portal token create: {problem}");
                return ExitCode.Usage;
            }
            var lifetime = parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
            var (row, secret) = new ApiTokens(OpenStore(parse, db), TimeProvider.System).Create(parse.GetValue(group)!, parse.GetValue(name), lifetime);
            stdout.WriteLine($"id: {row.Id}");
            stdout.WriteLine($"group: {row.Group}");
            if (row.ExpiresAt is { } exp) stdout.WriteLine($"expires: {exp:O}");
            stdout.WriteLine($"token: {secret}");
            stderr.WriteLine("Store this token now: it cannot be shown again.");
            return ExitCode.Success;
        }));
        var id = new Argument<string>("ID") { Description = "Token id as printed by token create or token list" };
        var revoke = new Command("revoke", "Revoke a token") { id };
        revoke.SetAction(parse => Run(stderr, () =>
        {
            var found = new ApiTokens(OpenStore(parse, db), TimeProvider.System).Revoke(parse.GetValue(id)!);
            if (!found) { stderr.WriteLine($"portal token revoke: no token with id '{parse.GetValue(id)}'"); return ExitCode.NotFound; }
            stdout.WriteLine($"revoked {parse.GetValue(id)}");
            return ExitCode.Success;
        }));
        var list = new Command("list", "List tokens (ids, groups, state; never secrets)");
        list.SetAction(parse => Run(stderr, () =>
        {
            foreach (var t in new ApiTokens(OpenStore(parse, db), TimeProvider.System).List())
            {
                var state = t.RevokedAt is not null ? "revoked" : t.ExpiresAt is { } e && e <= DateTimeOffset.UtcNow ? "expired" : "active";
                stdout.WriteLine($"{t.Id}\t{t.Group}\t{state}\t{t.Name}");
            }
            return ExitCode.Success;
        }));
        token.Add(create);
        token.Add(revoke);
        token.Add(list);
        portal.Add(token);

        var server = new Argument<string>("SERVER") { Description = "Upstream id whose current tool definitions to pin" };
        var approve = new Command("approve", "Pin the tool definitions last seen for a server (after reviewing a drift)") { server };
        approve.SetAction(parse => Run(stderr, () =>
        {
            var count = PinKeeper.Approve(OpenStore(parse, db), parse.GetValue(server)!, TimeProvider.System);
            if (count == 0)
            {
                stderr.WriteLine($"portal approve: no tool definitions observed for '{parse.GetValue(server)}'; run the portal first");
                return ExitCode.NotFound;
            }
            stdout.WriteLine($"pinned {count} tool(s) of {parse.GetValue(server)}");
            return ExitCode.Success;
        }));
        portal.Add(approve);
        return portal;
    }

    private static Command CreateAudit(TextWriter stdout, TextWriter stderr)
    {
        var db = DbOption();
        var audit = new Command("audit", "Verify, export or import into the portal's hash-chained audit log") { db };
        var checkpoints = new Option<string?>("--checkpoints")
        {
            Description = "Signed checkpoint file (or syslog file) to hold the log against",
        };
        var keyFile = new Option<string?>("--key-file") { Description = "Audit HMAC key (default: from --config, or beside the store)" };
        var publicKey = new Option<string?>("--public-key") { Description = "Checkpoint public key (default: the signing key's .pub)" };
        var auditConfig = new Option<string?>("--config") { Description = "Portal config file, for its portal.audit key paths" };
        var verify = new Command("verify", "Check the chain (and its signed checkpoints); name every changed, deleted or reordered row")
            { checkpoints, keyFile, publicKey, auditConfig };
        verify.SetAction(parse => Run(stderr, () =>
        {
            var store = OpenStore(parse, db);
            var settings = new AuditSettings();
            if (parse.GetValue(auditConfig) is { Length: > 0 } configPath)
            {
                try { settings = PortalConfigLoader.Load(configPath).Portal.Audit; }
                catch (PortalConfigException e) { stderr.WriteLine($"audit verify: {e.Message}"); return ExitCode.Usage; }
            }
            AuditKeys keys;
            try { keys = AuditKeys.ReadOnly(settings, store.KeyDirectory, parse.GetValue(keyFile), parse.GetValue(publicKey)); }
            catch (InvalidOperationException e) { stderr.WriteLine($"audit verify: {e.Message}"); return ExitCode.Usage; }
            var lines = parse.GetValue(checkpoints) is { } cpFile ? File.ReadAllLines(cpFile) : null;
            var problems = AuditVerifier.Verify(store, keys, lines);
            var against = lines is null ? "" : $" against {parse.GetValue(checkpoints)}";
            using (var ctx = store.Open())
            {
                var byReplica = ctx.Audit.Where(a => a.Replica != null).GroupBy(a => a.Replica)
                    .Select(g => new { Replica = g.Key, Rows = g.Count() }).OrderBy(g => g.Replica).ToList();
                var from = byReplica.Count == 0 ? "" : " written by replicas " + string.Join(", ", byReplica.Select(g => $"{g.Replica} ({g.Rows})"));
                stdout.WriteLine($"checked {ctx.Audit.Count()} row(s){from}{against}");
            }
            foreach (var p in problems) stdout.WriteLine(p.ToString());
            if (problems.Count == 0) { stdout.WriteLine("audit chain intact"); return ExitCode.Success; }
            stdout.WriteLine($"audit chain BROKEN: {problems.Count} problem(s)");
            return ExitCode.TamperDetected;
        }));
        var format = new Option<string>("--format") { Description = "Export format", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output" };
        var export = new Command("export", "Export audit rows for a SIEM") { format, output };
        export.SetAction(parse => Run(stderr, () =>
        {
            var store = OpenStore(parse, db);
            if (parse.GetValue(output) is { } file)
            {
                using var writer = new StreamWriter(file);
                var n = AuditExporter.WriteJsonl(store, writer);
                stderr.WriteLine($"exported {n} row(s) to {file}");
            }
            else AuditExporter.WriteJsonl(store, stdout);
            return ExitCode.Success;
        }));
        audit.Add(verify);
        audit.Add(export);
        audit.Add(AuditImportCommand.Create(parse => DbPath(parse, db), stdout, stderr));
        return audit;
    }

    private static string DbPath(ParseResult parse, Option<string> db) => parse.GetValue(db) is { Length: > 0 } p ? p : PortalStore.DefaultPath;

    private static PortalStore OpenStore(ParseResult parse, Option<string> db) => new(DbPath(parse, db));

    private static int Run(TextWriter stderr, Func<ExitCode> action)
    {
        try { return (int)action(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or ShadowMcp.Core.Store.StoreException or ArgumentException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return (int)ExitCode.StoreError;
        }
    }
}
