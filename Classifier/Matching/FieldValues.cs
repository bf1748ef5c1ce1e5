using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Matching;

/// <summary>
/// Reads a field of an observation: the dotted paths in its <see cref="FieldBag"/> plus the virtual
/// <c>flow.*</c> fields taken from <see cref="Observation.Flow"/>.
/// </summary>
internal static class FieldValues
{
    public const string FlowPrefix = "flow.";

    public static readonly IReadOnlyList<string> VirtualFields =
        ["flow.client", "flow.client_port", "flow.server", "flow.server_port", "flow.protocol"];

    /// <summary>The value of a virtual flow field, or null when the path is not one.</summary>
    public static string? Virtual(Observation observation, string path) => path switch
    {
        "flow.client" => observation.Flow.Client,
        "flow.client_port" => observation.Flow.ClientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "flow.server" => observation.Flow.Server,
        "flow.server_port" => observation.Flow.ServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "flow.protocol" => observation.Flow.Protocol,
        _ => null,
    };

    public static bool IsVirtual(string path) => path.StartsWith(FlowPrefix, StringComparison.Ordinal);

    /// <summary>Every value of the path (a path may repeat for array elements).</summary>
    public static List<string> All(Observation observation, string path)
    {
        var values = new List<string>(1);
        if (IsVirtual(path))
        {
            var v = Virtual(observation, path);
            if (v is not null) values.Add(v);
            return values;
        }
        foreach (var kv in observation.Fields)
            if (string.Equals(kv.Key, path, StringComparison.Ordinal)) values.Add(kv.Value);
        return values;
    }

    public static string? First(Observation observation, string path)
    {
        if (IsVirtual(path)) return Virtual(observation, path);
        return observation.Fields.Get(path);
    }
}
