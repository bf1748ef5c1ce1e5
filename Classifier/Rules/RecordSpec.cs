namespace ShadowMcp.Classifier.Rules;

/// <summary>
/// One <c>evidence.records</c> entry: a name and the field path whose values it records. Some names feed the
/// finding (see <see cref="RecordNames"/>); the rest only appear in the evidence detail.
/// </summary>
public sealed record RecordSpec(string Name, string Path);
