namespace ShadowMcp.Scanner.Sessions;

/// <summary>Receives single UDP payloads (DNS today).</summary>
public interface IDatagramAnalyzer
{
    void OnDatagram(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> payload, DateTime time);
}
