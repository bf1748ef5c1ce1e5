namespace ShadowMcp.Portal.Audit;

/// <summary>
/// A line of a fallback file cut short because the portal writing it was killed: never a whole row, so never
/// imported; `audit import` names it and leaves it in the file.
/// </summary>
/// <param name="Line">Its line number in the file (1-based).</param>
/// <param name="Bytes">Its length in bytes, without a line end.</param>
/// <param name="Unterminated">True when it is the file's last line, without a line end; false when a later spill ended it.</param>
internal readonly record struct AuditTornLine(long Line, long Bytes, bool Unterminated);
