using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShadowMcp.Classifier.Loading;

/// <summary>Small helpers over YamlDotNet's representation model: scalar text, null detection, positions.</summary>
internal static class YamlNodes
{
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    public static string? Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>
    /// The 1-based column of character <paramref name="offset"/> of a scalar's text, exact for plain scalars
    /// and for quoted scalars without escapes before the offset.
    /// </summary>
    public static int ColumnOf(YamlNode node, int offset)
    {
        var column = (int)node.Start.Column;
        return node is YamlScalarNode scalar ? scalar.Style switch
        {
            ScalarStyle.Plain or ScalarStyle.Any => column + offset,
            ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted => column + 1 + offset,
            _ => column,
        } : column;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        _ => "a scalar",
    };
}
