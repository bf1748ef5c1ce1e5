using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ShadowMcp.Hosts.Reading;

/// <summary>
/// YAML to a JSON tree from the parser's event stream, with an explicit stack: no recursion, so nesting depth is
/// checked, not a stack overflow. Aliases are not expanded (a "billion laughs" file stays small); only the first
/// document is read.
/// </summary>
internal static class YamlTree
{
    public static JsonNode? Parse(string text, int maxDepth)
    {
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<(JsonNode Node, string? PendingKey)>();
        JsonNode? root = null;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentEnd:
                    return root;
                case MappingStart or SequenceStart:
                    if (stack.Count >= maxDepth) throw new ConfigTooDeepException((int)parser.Current.Start.Line, maxDepth);
                    JsonNode container = parser.Current is MappingStart ? new JsonObject() : new JsonArray();
                    Add(container);
                    stack.Push((container, null));
                    break;
                case MappingEnd or SequenceEnd:
                    stack.Pop();
                    break;
                case Scalar scalar:
                    if (stack.Count > 0 && stack.Peek() is { Node: JsonObject, PendingKey: null } top)
                    {
                        stack.Pop();
                        stack.Push((top.Node, scalar.Value));
                    }
                    else Add(ScalarValue(scalar));
                    break;
                case AnchorAlias:
                    Add(null);
                    break;
            }
        }
        return root;

        void Add(JsonNode? value)
        {
            if (stack.Count == 0)
            {
                root = value;
                return;
            }
            var (node, key) = stack.Pop();
            if (node is JsonObject obj)
            {
                // A non-scalar key (rare, never in these files) arrives with no pending key: dropped.
                if (key is not null) obj[key] = value;
                stack.Push((node, null));
            }
            else
            {
                ((JsonArray)node).Add(value);
                stack.Push((node, key));
            }
        }
    }

    private static JsonNode? ScalarValue(Scalar s)
    {
        if (s.Style is ScalarStyle.Plain)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE": return JsonValue.Create(true);
                case "false" or "False" or "FALSE": return JsonValue.Create(false);
                case "" or "~" or "null" or "Null" or "NULL": return null;
            }
        }
        return JsonValue.Create(s.Value);
    }
}
