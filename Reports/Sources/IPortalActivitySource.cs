namespace ShadowMcp.Reports.Sources;

/// <summary>Portal audit data for the report. Returns null when there is no portal to ask (the section says so).</summary>
public interface IPortalActivitySource
{
    ValueTask<PortalActivity?> GetActivityAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken);
}
