using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// A finding as the store holds it: the model, plus its row id (the key of its activity and evidence rows), the
/// endpoint key it is stored under and its triage status (<see cref="TriageStatus.New"/> until someone triages it).
/// </summary>
public sealed record StoredFinding(long Id, string EndpointKey, Finding Finding, TriageStatus Triage);
