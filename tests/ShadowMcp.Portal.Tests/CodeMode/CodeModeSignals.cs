using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>Waits for what a code-mode run leaves behind (audit rows, busy workers), with a generous hang guard.</summary>
internal static class CodeModeSignals
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    public static CodeModeRunner Runner(PortalFixture portal) => portal.Services.GetRequiredService<CodeModeRunner>();

    public static async Task<AuditRow> WaitForAuditAsync(PortalFixture portal, Func<AuditRow, bool> match)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (true)
        {
            await portal.FlushAuditAsync();
            using (var db = portal.Store.Open())
            {
                var row = db.Audit.AsEnumerable().LastOrDefault(match);
                if (row is not null) return row;
            }
            await Task.Delay(50, guard.Token);
        }
    }

    public static async Task<List<int>> WaitForWorkerBusyAsync(PortalFixture portal, int count = 1)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (true)
        {
            var busy = Runner(portal).Workers.Where(w => w.Busy).Select(w => w.ProcessId).ToList();
            if (busy.Count >= count) return busy;
            await Task.Delay(20, guard.Token);
        }
    }
}
