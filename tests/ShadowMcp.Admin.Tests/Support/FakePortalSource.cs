using ShadowMcp.Admin.Sources;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>A portal with two servers, a few tools and policies, and an audit log whose chain state a test can set.</summary>
internal sealed class FakePortalSource : IPortalAdminSource
{
    public const string HostileActor = "<b>mallory</b>";

    public bool ChainIntact { get; set; } = true;

    public List<AuditEntryView> Entries { get; } = [.. Enumerable.Range(1, 7).Select(i => new AuditEntryView(
        i, new DateTime(2026, 11, 18, 9, i, 0, DateTimeKind.Utc), i == 7 ? HostileActor : "alice@corp", "tools/call",
        $"github/create_issue#{i}", i % 3 == 0 ? "denied" : "allowed", i % 3 == 0 ? "policy no-writes" : null, $"{i:x2}ab34cd56ef7890aa"))];

    public ValueTask<PortalOverview?> GetOverviewAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<PortalOverview?>(new PortalOverview(
            [
                new PortalServerView("github", "https://127.0.0.1:9443/mcp", "streamable-http", "healthy", ["dev", "ops"]),
                new PortalServerView("jira", "http://127.0.0.1:9444/mcp", "streamable-http", "unreachable", ["pm"]),
            ],
            [
                new PortalToolView("github", "create_issue", "Open an issue", true),
                new PortalToolView("github", "delete_repo", "Delete a repository", false),
                new PortalToolView("jira", "search", null, true),
            ],
            [
                new PortalPolicyView("no-writes", "deny", "group:contractors", "github/*", "Contractors read only"),
                new PortalPolicyView("dlp-secrets", "dlp", "*", "*", "Redact secrets in tool results"),
            ]));

    public ValueTask<AuditLogPage?> GetAuditAsync(int skip, int take, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuditLogPage?>(new AuditLogPage([.. Entries.OrderByDescending(e => e.Sequence).Skip(skip).Take(take)], Entries.Count));

    public ValueTask<AuditChainStatus?> VerifyAuditAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuditChainStatus?>(ChainIntact
            ? new AuditChainStatus(true, Entries.Count, "Every entry links to the one before it.")
            : new AuditChainStatus(false, Entries.Count, "Entry 4: hash does not match its content."));
}
