using Microsoft.Extensions.Options;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>
/// Rejects bad configuration at start-up with messages that name the value: cron, zone, formats, webhook, resolver,
/// triage overdue days, risk weights, cluster.
/// </summary>
internal sealed class ReportsOptionsValidator : IValidateOptions<ReportsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportsOptions o)
    {
        var errors = new List<string>();
        void Check(Action action)
        {
            try { action(); }
            catch (ReportInputException ex) { errors.Add(ex.Message); }
        }
        TimeZoneInfo zone = TimeZoneInfo.Local;
        Check(() => zone = TimeZones.Find(o.TimeZone ?? "local"));
        Check(() => _ = new CronSchedule(o.Cron, zone));
        Check(() => ReportFormats.Parse(o.Formats));
        if (!string.IsNullOrWhiteSpace(o.Dns.Server)) Check(() => Dns.DnsClientReverseResolver.ParseServer(o.Dns.Server));
        if (!string.IsNullOrWhiteSpace(o.Webhook.Url))
        {
            if (!Uri.TryCreate(o.Webhook.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add($"Reports:Webhook:Url '{o.Webhook.Url}' is not an absolute http(s) URL.");
            if (string.IsNullOrEmpty(o.Webhook.Secret))
                errors.Add("Reports:Webhook:Secret is required when Reports:Webhook:Url is set (the payload is HMAC-signed).");
            if (o.Webhook.MaxAttempts is < 1 or > 20)
                errors.Add($"Reports:Webhook:MaxAttempts '{o.Webhook.MaxAttempts}' must be 1 to 20.");
        }
        if (o.TriageOverdueDays is < 1 or > ReportsOptionsDefaults.MaxTriageOverdueDays)
            errors.Add($"Reports:TriageOverdueDays '{o.TriageOverdueDays}' must be 1 to {ReportsOptionsDefaults.MaxTriageOverdueDays}.");
        if (!string.IsNullOrWhiteSpace(o.RiskWeights)) Check(() => Risk.RiskWeights.Load(o.RiskWeights));
        errors.AddRange(Cluster.ClusterOptionsCheck.Errors(o.Cluster));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
