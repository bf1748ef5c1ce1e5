namespace ShadowMcp.Scanner.Http;

internal enum HeadBufferResult
{
    NeedMore,
    Complete,
    Rejected,
}
