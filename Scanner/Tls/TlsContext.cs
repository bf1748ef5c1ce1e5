using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tls;

/// <summary>What TLS analyzers share within one factory: keys, where decrypted bytes go, who wants summaries.</summary>
internal sealed class TlsContext(TlsKeyLog? keyLog, IAnalyzerFactory? decryptedFactory, ITlsFlowSink? flows)
{
    public TlsKeyLog? KeyLog { get; } = keyLog;
    /// <summary>Chooses the analyzer for decrypted application data; its observations say they were decrypted.</summary>
    public IAnalyzerFactory? DecryptedFactory { get; } = decryptedFactory;
    public ITlsFlowSink? Flows { get; } = flows;
}
