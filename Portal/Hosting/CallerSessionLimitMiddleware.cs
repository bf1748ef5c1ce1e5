using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Relay;
using ShadowMcp.Portal.Telemetry;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// <c>portal.maxSessionsPerUser</c> and <c>portal.maxSessions</c>, checked before the MCP SDK makes a session.
/// An initialize from a user at the cap closes that user's least recently used idle session first (audited as
/// session-evicted); with all of them busy, or the portal full, it is refused (429 or 503, JSON-RPC error
/// <see cref="PortalRefusal.SessionLimitCode"/>, audited as session-limit). Every request on a session marks it
/// busy while it runs, so a session is idle exactly when no request (nor GET stream) is open on it.
/// </summary>
internal sealed partial class CallerSessionLimitMiddleware(RequestDelegate next, PortalConfig config, CallerSessions sessions,
    SessionCloser closer, AuditLog audit, PortalMetrics metrics, ILogger<CallerSessionLimitMiddleware> logger)
{
    private const string SessionHeader = "Mcp-Session-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || !context.Request.Path.StartsWithSegments(PortalUrls.McpPath))
        {
            await next(context);
            return;
        }
        var user = PortalCaller.From(context.User, null, null).User;
        if (context.Request.Headers[SessionHeader].ToString() is { Length: > 0 } sessionId)
        {
            using var use = sessions.Use(sessionId, user);
            await next(context);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method) || (await McpRequestBody.ReadAsync(context, config.Portal.MaxRequestBytes)).InitializeId is not { } requestId)
        {
            await next(context);
            return;
        }

        var admission = sessions.Admit(user);
        if (admission.Reservation is not { } reservation)
        {
            await RefuseAsync(context, admission.Refusal, requestId);
            return;
        }
        using (reservation)
        {
            if (admission.Evict is { } evict) await EvictAsync(context, evict, admission.EvictIdle);
            context.Items[CallerSessions.ReservationItem] = reservation;
            await next(context);
        }
    }

    private async Task EvictAsync(HttpContext context, CallerSessions.Entry evict, TimeSpan idle)
    {
        var caller = PortalCaller.From(context.User, null, null);
        if (!await closer.CloseAsync(evict.Id, evict.Principal)) LogNotClosed(evict.User);
        metrics.SessionLimit("evicted");
        await audit.EnqueueAsync(Row(caller, CallOutcome.SessionEvicted,
            $"closed this user's least recently used idle session (idle {Seconds(idle)}s) to open another: " +
            $"maxSessionsPerUser={sessions.MaxPerUser}"));
    }

    private async Task RefuseAsync(HttpContext context, CallerSessions.AdmissionRefusal refusal, JsonElement requestId)
    {
        var caller = PortalCaller.From(context.User, null, null);
        var (status, action, message) = refusal == CallerSessions.AdmissionRefusal.UserBusy
            ? (StatusCodes.Status429TooManyRequests, "refused-user",
                $"Session limit: this user holds maxSessionsPerUser={sessions.MaxPerUser} sessions and all are busy; " +
                "end one (DELETE /mcp with its Mcp-Session-Id) or let one go idle, then initialize again")
            : (StatusCodes.Status503ServiceUnavailable, "refused-full",
                $"Session limit: the portal holds its maximum of maxSessions={sessions.MaxSessions} sessions; try again later");
        metrics.SessionLimit(action);
        await audit.EnqueueAsync(Row(caller, CallOutcome.SessionLimit, message));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("jsonrpc", "2.0");
        json.WritePropertyName("id");
        requestId.WriteTo(json);
        json.WriteStartObject("error");
        json.WriteNumber("code", PortalRefusal.SessionLimitCode);
        json.WriteString("message", message);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static AuditRecord Row(PortalCaller caller, CallOutcome outcome, string decision) =>
        new(caller.User, caller.GroupLabel, null, null, null, "initialize", null, 0, null, null, 0,
            CallOutcomes.AuditName(outcome), decision, null);

    private static string Seconds(TimeSpan t) => Math.Max(0, (long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MCP SDK did not close an idle session of {User} that was evicted to make room")]
    private partial void LogNotClosed(string user);
}
