namespace ShadowMcp.Reports.Dns;

/// <summary>Looks up PTR names for client addresses within a time budget.</summary>
public interface IReverseDnsResolver
{
    Task<ReverseDnsResult> ResolveAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken);
}
