using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// A finding as the store holds it: the model, plus its row id (the key of its activity and evidence rows) and the
/// endpoint key it is stored under.
/// </summary>
public sealed record StoredFinding(long Id, string EndpointKey, Finding Finding);
