using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Shape;

/// <summary>TLS flows built record by record, as the TLS analyzer hands them over.</summary>
internal static class ShapeTestFlows
{
    public static readonly DateTime T0 = new(2026, 12, 5, 3, 0, 0, DateTimeKind.Utc);

    public static TlsFlowSummary Flow(int clientPort, params (bool FromClient, int Length, double AtSeconds)[] records)
    {
        var summary = new TlsFlowSummary { Flow = new FlowRef("10.0.0.5", clientPort, "10.0.0.9", 443, "tcp") };
        summary.Start = T0.AddSeconds(records.Length == 0 ? 0 : records[0].AtSeconds);
        summary.Version = "1.3";
        foreach (var (fromClient, length, at) in records)
        {
            var time = T0.AddSeconds(at);
            if (fromClient) { summary.ClientRecords++; summary.ClientRecordBytes += length; }
            else { summary.ServerRecords++; summary.ServerRecordBytes += length; }
            summary.Count(fromClient, length, time);
            summary.Add(new TlsRecordShape(fromClient, length, time));
        }
        return summary;
    }

    public static float Feature(float[] values, string name) => values[Array.IndexOf(ShapeFeatures.Names, name)];
}
