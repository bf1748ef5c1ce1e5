using System.Globalization;
using System.Text;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using YamlDotNet.RepresentationModel;

namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// Builds the observation a rule example stands for. An example is a JSON-RPC message string, or a map of
/// field: value (a list of values repeats the path) with optional <c>kind</c>, <c>message</c> (a JSON-RPC
/// string whose fields are added) and <c>flow.*</c> keys (else a default flow for the kind). A JSON-RPC message is
/// read by <see cref="JsonRpcFields"/>, the Scanner's own reader, so it gives exactly the fields seen on the wire.
/// </summary>
internal static class ExampleBuilder
{
    public static RuleExample? Build(YamlNode node, string ruleKind, bool expectMatch, out (YamlNode Node, string Message)? error)
    {
        error = null;
        string? kind = null;
        var fields = new FieldBag(16);
        var flowValues = new Dictionary<string, string>(StringComparer.Ordinal);
        string text;
        var producesNothing = false;

        if (node is YamlScalarNode scalar)
        {
            text = scalar.Value ?? "";
            if (ruleKind != "jsonrpc" && !ruleKind.StartsWith("jsonrpc.", StringComparison.Ordinal))
            {
                error = (node, $"a string example is a JSON-RPC message, but this rule observes '{ruleKind}': give a map of field: value");
                return null;
            }
            if (!TryReadMessage(text, out kind, out fields, out var jsonError))
            {
                error = (node, $"example: {jsonError}");
                return null;
            }
            producesNothing = kind is null;
        }
        else if (node is YamlMappingNode map)
        {
            text = string.Join(", ", map.Children.Select(kv => $"{YamlNodes.Text(kv.Key)}={Render(kv.Value)}"));
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = YamlNodes.Text(keyNode);
                if (string.IsNullOrEmpty(key))
                {
                    error = (keyNode, "example keys must be field names");
                    return null;
                }
                if (key == "kind")
                {
                    kind = YamlNodes.Text(valueNode);
                    if (kind is null || !ObservationKinds.All.Contains(kind))
                    {
                        error = (valueNode, $"unknown observation kind '{kind}' in example (expected one of: {string.Join(", ", ObservationKinds.All)})");
                        return null;
                    }
                    continue;
                }
                if (key == "message")
                {
                    if (!TryReadMessage(YamlNodes.Text(valueNode) ?? "", out var messageKind, out var messageFields, out var jsonError))
                    {
                        error = (valueNode, $"example message: {jsonError}");
                        return null;
                    }
                    if (messageKind is null) producesNothing = true;
                    kind ??= messageKind;
                    fields.AddRange("", messageFields);
                    continue;
                }
                if (key.StartsWith(Matching.FieldValues.FlowPrefix, StringComparison.Ordinal))
                {
                    if (!Matching.FieldValues.VirtualFields.Contains(key))
                    {
                        error = (keyNode, $"unknown flow field '{key}' (expected one of: {string.Join(", ", Matching.FieldValues.VirtualFields)})");
                        return null;
                    }
                    flowValues[key] = YamlNodes.Text(valueNode) ?? "";
                    continue;
                }
                switch (valueNode)
                {
                    case YamlScalarNode value:
                        fields.Add(key, value.Value ?? "");
                        break;
                    case YamlSequenceNode values when values.Children.All(c => c is YamlScalarNode):
                        foreach (var item in values.Children) fields.Add(key, YamlNodes.Text(item) ?? "");
                        break;
                    default:
                        error = (valueNode, $"example field '{key}' must be a scalar or a list of scalars");
                        return null;
                }
            }
            if (kind is null)
            {
                if (!ObservationKinds.All.Contains(ruleKind))
                {
                    error = (node, $"the rule observes the family '{ruleKind}': give the example a 'kind'");
                    return null;
                }
                kind = ruleKind;
            }
        }
        else
        {
            error = (node, "an example is a JSON-RPC message string or a map of field: value");
            return null;
        }

        var flow = BuildFlow(kind, flowValues, out var flowError);
        if (flowError is not null)
        {
            error = (node, flowError);
            return null;
        }
        var observation = producesNothing || kind is null
            ? null
            : new Observation { Kind = kind, Flow = flow, Time = RuleFileParser.ExampleTime, Fields = fields, Source = "example" };
        return new RuleExample
        {
            ExpectMatch = expectMatch,
            Observation = observation,
            Text = text.Length > 200 ? text[..200] + "…" : text,
            Line = (int)node.Start.Line,
            Column = (int)node.Start.Column,
        };
    }

    /// <summary>
    /// The kind and message fields (<c>jsonrpc</c>, <c>method</c>, <c>id</c>, <c>params.…</c>, ...) the Scanner
    /// gives this message; a null kind when it would emit nothing. False with an error for text that is not one JSON object.
    /// </summary>
    internal static bool TryReadMessage(string json, out string? kind, out FieldBag fields, out string? error)
    {
        kind = null;
        fields = new FieldBag(16);
        if (!JsonRpcFields.TryReadOne(Encoding.UTF8.GetBytes(json), JsonRpcLimits.Default, out var message, out error)) return false;
        if (message is null) return true;
        kind = message.Kind;
        JsonRpcFields.AddTo(fields, message);
        return true;
    }

    private static FlowRef BuildFlow(string? kind, Dictionary<string, string> values, out string? error)
    {
        var (serverPort, protocol) = kind switch
        {
            ObservationKinds.Dns => (53, "udp"),
            ObservationKinds.TlsClientHello => (443, "tcp"),
            _ => (8080, "tcp"),
        };
        string? problem = null;
        int Port(string key, int fallback)
        {
            if (!values.TryGetValue(key, out var text)) return fallback;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535) return port;
            problem = $"'{key}' must be a port number, found '{text}'";
            return fallback;
        }
        var flow = new FlowRef(
            values.GetValueOrDefault("flow.client", "10.0.0.7"),
            Port("flow.client_port", 50000),
            values.GetValueOrDefault("flow.server", "10.0.0.5"),
            Port("flow.server_port", serverPort),
            values.GetValueOrDefault("flow.protocol", protocol));
        error = problem;
        return flow;
    }

    private static string Render(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode l => "[" + string.Join(", ", l.Children.Select(Render)) + "]",
        _ => "{…}",
    };
}
