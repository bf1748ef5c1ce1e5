namespace ShadowMcp.Scanner.Http;

internal enum ChunkStep
{
    /// <summary>All input consumed; the body continues in the next segment.</summary>
    NeedMore,
    /// <summary>A slice of chunk data is ready.</summary>
    Payload,
    /// <summary>The last chunk and its trailers were read.</summary>
    Done,
    Rejected,
}
