using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>Typed access to YAML nodes where every complaint carries file:line:column.</summary>
internal sealed class YamlReader(string file)
{
    public string File { get; } = file;

    public string At(YamlNode node) => $"{File}:{node.Start.Line}:{node.Start.Column}";

    public PolicyException Error(YamlNode node, string message) => new($"{At(node)}: {message}");

    public YamlNode? LoadRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new PolicyException($"{File}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}");
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    public YamlMappingNode Map(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping");

    public YamlSequenceNode Seq(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list");

    public string Str(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } v } ? v : throw Error(node, $"{what} must be a single value");

    public IReadOnlyList<string> StrList(YamlNode node, string what) =>
        node is YamlScalarNode s && string.IsNullOrEmpty(s.Value) ? [] : [.. Seq(node, what).Children.Select(c => Str(c, what + " item"))];

    public int Int(YamlNode node, string what, int min, int max) =>
        int.TryParse(Str(node, what), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw Error(node, $"{what} must be a whole number from {min} to {max}");

    public double Double(YamlNode node, string what, double min, double max) =>
        double.TryParse(Str(node, what), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw Error(node, $"{what} must be a number from {min} to {max}");

    /// <summary>Yields (key, keyNode, value) and rejects keys outside <paramref name="known"/>, naming the allowed ones.</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMappingNode map, string what, params string[] known)
    {
        foreach (var (k, v) in map.Children)
        {
            var key = Str(k, "key");
            if (!known.Contains(key, StringComparer.Ordinal))
                throw Error(k, $"unknown key '{key}' in {what} (expected one of: {string.Join(", ", known)})");
            yield return (key, k, v);
        }
    }
}
