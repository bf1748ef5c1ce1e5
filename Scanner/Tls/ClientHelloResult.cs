namespace ShadowMcp.Scanner.Tls;

internal enum ClientHelloResult
{
    NeedMore,
    Complete,
    NotClientHello,
}
