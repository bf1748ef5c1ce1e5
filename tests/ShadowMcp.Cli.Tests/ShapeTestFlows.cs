using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Cli.Tests;

/// <summary>TLS flow summaries built record by record, as the TLS analyzer hands them to the shape stage.</summary>
internal static class ShapeTestFlows
{
    /// <summary>A flow of <paramref name="client"/> to 10.0.0.9:443 starting at <paramref name="start"/>; record times are seconds after it.</summary>
    public static TlsFlowSummary Flow(string client, int clientPort, DateTime start, params (bool FromClient, int Length, double At)[] records)
    {
        var summary = new TlsFlowSummary { Flow = new FlowRef(client, clientPort, "10.0.0.9", 443, "tcp") };
        summary.Start = start;
        summary.Version = "1.3";
        foreach (var (fromClient, length, at) in records) Add(summary, fromClient, length, start.AddSeconds(at));
        return summary;
    }

    /// <summary>One more application-data record, as the flow's analyzer counts it.</summary>
    public static void Add(TlsFlowSummary summary, bool fromClient, int length, DateTime time)
    {
        if (fromClient) { summary.ClientRecords++; summary.ClientRecordBytes += length; }
        else { summary.ServerRecords++; summary.ServerRecordBytes += length; }
        summary.Count(fromClient, length, time);
        summary.Add(new TlsRecordShape(fromClient, length, time));
    }
}
