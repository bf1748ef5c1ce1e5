namespace ShadowMcp.Scanner.Http;

/// <summary>What the first bytes of a line say about an HTTP start line.</summary>
internal enum StartLineKind
{
    None = 0,
    /// <summary>A prefix of a start token; more bytes are needed to decide.</summary>
    NeedMore,
    Request,
    Response,
}
