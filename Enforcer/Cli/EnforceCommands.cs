using System.CommandLine;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Core;

namespace ShadowMcp.Enforcer.Cli;

/// <summary>The <c>shadowmcp enforce</c> command tree: plan, apply, rollback, expire.</summary>
public static class EnforceCommands
{
    public static Command Create() => Create(TimeProvider.System, null);

    /// <param name="step">Test builds only: called before each step of a backend change (see EnforcementEngine.Step).</param>
    internal static Command Create(TimeProvider time, Action<string>? step = null)
    {
        var policy = new Option<FileInfo>("--policy") { Description = "Enforcement policy YAML", Required = true };
        var db = new Option<string>("--db")
        {
            Description = "Store: a SQLite file, or a postgres:// URL / Host=... string",
            DefaultValueFactory = _ => StorePaths.Default,
        };
        var sanctioned = new Option<FileInfo?>("--sanctioned") { Description = "Allow-list YAML of sanctioned endpoints (portal, upstreams, allow list)" };
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var to = new Option<long?>("--to") { Description = "Restore the state from before this action id" };
        var allowCollateral = new Option<bool>("--allow-collateral")
        {
            Description = "Apply rules that also stop other known services (e.g. nftables scope: address on a shared server)",
        };

        var plan = new Command("plan", "Show the difference between what the backends hold and what they should hold");
        var apply = new Command("apply", "Carry out the plan on every backend");
        var rollback = new Command("rollback", "Restore the state before the last apply, or before --to ACTION_ID");
        var expire = new Command("expire", "Lift blocks whose TTL has passed, and record it");
        foreach (var c in new[] { plan, apply, rollback, expire })
        {
            c.Options.Add(policy);
            c.Options.Add(db);
            if (c != rollback) c.Options.Add(sanctioned);
        }
        plan.Options.Add(format);
        rollback.Options.Add(to);
        apply.Options.Add(allowCollateral);
        expire.Options.Add(allowCollateral);

        plan.SetAction((r, ct) => Run(r, policy, db, sanctioned, time, step, async (ctx, findings, allow, ct2) =>
        {
            var p = await ctx.Engine.PlanAsync(findings, allow, ct2);
            if (r.GetValue(format) == "json") PlanWriter.WriteJson(ctx.Out, p);
            else PlanWriter.WriteText(ctx.Out, p);
            return p.Backends.Any(b => b.Error is not null) ? ExitCode.BackendFailed : ExitCode.Success;
        }, ct));
        apply.SetAction((r, ct) => Run(r, policy, db, sanctioned, time, step, async (ctx, findings, allow, ct2) =>
            Report(ctx.Out, await ctx.Engine.ApplyAsync(findings, allow, ct2)), ct));
        expire.SetAction((r, ct) => Run(r, policy, db, sanctioned, time, step, async (ctx, findings, allow, ct2) =>
            Report(ctx.Out, await ctx.Engine.ExpireAsync(findings, allow, ct2)), ct));
        rollback.SetAction((r, ct) => Run(r, policy, db, null, time, step, async (ctx, _, _, ct2) =>
            Report(ctx.Out, await ctx.Engine.RollbackAsync(r.GetValue(to), ct2)), ct));

        var enforce = new Command("enforce", "Turn shadow findings into blocks on firewalls, resolvers, proxies and gateways");
        enforce.Subcommands.Add(plan);
        enforce.Subcommands.Add(apply);
        enforce.Subcommands.Add(rollback);
        enforce.Subcommands.Add(expire);
        return enforce;
    }

    private static ExitCode Report(TextWriter w, RunReport report)
    {
        PlanWriter.WriteReport(w, report);
        return report.Failed ? ExitCode.BackendFailed : ExitCode.Success;
    }

    private sealed record Context(EnforcementEngine Engine, TextWriter Out);

    private static async Task<int> Run(
        ParseResult r, Option<FileInfo> policyOpt, Option<string> dbOpt, Option<FileInfo?>? sanctionedOpt, TimeProvider time,
        Action<string>? step,
        Func<Context, IReadOnlyList<Finding>, IReadOnlyList<SanctionedEndpoint>, CancellationToken, Task<ExitCode>> body,
        CancellationToken ct)
    {
        var output = r.InvocationConfiguration.Output;
        var error = r.InvocationConfiguration.Error;
        try
        {
            var policy = PolicyLoader.LoadFile(r.GetValue(policyOpt)!.FullName);
            var allow = sanctionedOpt is not null && r.GetValue(sanctionedOpt) is { } file ? PolicyLoader.LoadAllowFile(file.FullName) : [];
            var db = r.GetValue(dbOpt)!;
            var target = StoreTarget.Parse(db);
            // Tools we start share our process group, so a later run can kill what a killed run left behind.
            RunnerProcess.BecomeGroupLeader();
            using var runLock = RunLock.Take(target);
            IReadOnlyList<Finding> findings;
            using (var findingStore = FindingStore.Open(db))
            {
                findings = findingStore.LoadFindings();
                policy = policy.WithTriageFrom(findingStore);
            }
            using var store = EnforcerStore.Open(target);
            var backends = BackendFactory.Create(policy, store, time);
            var engine = new EnforcementEngine(store, policy, backends, time, Actor())
            {
                AllowCollateral = r.CommandResult.Command.Options.Any(o => o.Name == "--allow-collateral")
                    && r.GetValue<bool>("--allow-collateral"),
                Step = step,
            };
            var code = (int)await body(new Context(engine, output), findings, allow, ct);
            PlanWriter.WriteReconciled(error, engine.Reconciled);
            return code;
        }
        catch (PolicyException ex)
        {
            PlanWriter.Line(error, $"error: {ex.Message}");
            return (int)ExitCode.Rejected;
        }
        catch (SanctionedConflictException ex)
        {
            error.WriteLine("error: the plan would block sanctioned endpoints; nothing was changed:");
            foreach (var c in ex.Conflicts) PlanWriter.Line(error, $"  {c}");
            return (int)ExitCode.Rejected;
        }
        catch (CollateralException ex)
        {
            error.WriteLine("error: the plan would also stop other services; nothing was changed (pass --allow-collateral to accept):");
            foreach (var c in ex.Items) PlanWriter.Line(error, $"  {c}");
            return (int)ExitCode.Rejected;
        }
        catch (StoreException ex)
        {
            PlanWriter.Line(error, $"error: {ex.Message}");
            return (int)ExitCode.StoreError;
        }
        catch (BackendException ex)
        {
            PlanWriter.Line(error, $"error: {ex.Message}");
            return (int)ExitCode.BackendFailed;
        }
    }

    private static string Actor()
    {
        var sudo = Environment.GetEnvironmentVariable("SUDO_USER");
        return string.IsNullOrEmpty(sudo) ? Environment.UserName : $"{sudo} (via sudo)";
    }
}
