using System.Text.Json.Serialization;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// On a spilled line whose batch was sent to the store with its commit, and no answer came back (the connection was
/// cut): the batch may be in the chain or not, and the log closed before it could look. This says where it would be:
/// the row's own Seq in it, and the batch's last row (Seq and hash), which is the head that commit leaves.
/// `audit import` skips the line when the chain holds that row with that hash (the commit went in), and imports it
/// when not.
/// </summary>
internal sealed record SpilledCommit(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("headSeq")] long HeadSeq,
    [property: JsonPropertyName("head")] string Head);
