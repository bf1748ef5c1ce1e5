using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Classifier.Conditions;
using ShadowMcp.Classifier.Matching;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.Catalogue;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// Reads one rule file (one rule per YAML document) with YamlDotNet's representation model, so every
/// diagnostic points at the node's line:column. Never throws for bad input: problems become diagnostics and
/// a rule with an error is left out.
/// </summary>
internal sealed partial class RuleFileParser
{
    private static readonly HashSet<string> TopKeys =
    [
        "id", "title", "description", "status", "level", "references", "falsepositives", "observation",
        "detection", "evidence", "tests", "author", "date", "modified", "tags",
    ];
    private static readonly HashSet<string> EvidenceKeys = ["weight", "strength", "records", "endpoint", "transport"];
    private static readonly HashSet<string> TestKeys = ["match", "no_match"];
    private static readonly HashSet<string> ConditionKeywords = ["and", "or", "not", "of", "them", "all", "any"];
    private static readonly string[] KnownTransports =
    [
        Transports.StreamableHttp, Transports.StreamableHttpJson, Transports.Stateless, Transports.SseLegacy,
        Transports.Dns, Transports.Tls, Transports.Http,
    ];
    internal static readonly DateTime ExampleTime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _file;
    private readonly List<RuleDiagnostic> _diagnostics;
    private int _errors;
    // The rule being read: its id names it in field errors; its kind (null when unknown) says which fields exist.
    private string? _ruleId;
    private string? _ruleKind;

    private readonly HostCatalog? _catalog;

    private RuleFileParser(string file, List<RuleDiagnostic> diagnostics, HostCatalog? catalog)
    {
        _file = file;
        _diagnostics = diagnostics;
        _catalog = catalog;
    }

    /// <summary>A compiled rule and where its id was written (for duplicate-id diagnostics).</summary>
    internal readonly record struct ParsedRule(Rule Rule, int IdLine, int IdColumn);

    public static List<ParsedRule> Parse(string file, string text, List<RuleDiagnostic> diagnostics, HostCatalog? catalog = null)
    {
        var parser = new RuleFileParser(file, diagnostics, catalog);
        var stream = new YamlStream();
        var last = Mark.Empty;
        try
        {
            // A plain parse first: syntax errors then come with their position, which Load does not always keep.
            var syntax = new Parser(new StringReader(text));
            while (syntax.MoveNext()) last = syntax.Current?.End ?? last;
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            parser.Error((int)ex.Start.Line, (int)ex.Start.Column, $"YAML syntax error: {YamlMessage(ex)}");
            return [];
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet gives up without a position on some malformed input (an unclosed flow collection):
            // point after the last event that parsed.
            parser.Error((int)Math.Max(1, last.Line), (int)Math.Max(1, last.Column), $"YAML syntax error: the document is malformed after this point ({ex.Message})");
            return [];
        }

        var rules = new List<ParsedRule>();
        foreach (var document in stream.Documents)
        {
            if (YamlNodes.IsNull(document.RootNode)) continue;
            if (document.RootNode is not YamlMappingNode root)
            {
                parser.Error(document.RootNode, $"a rule must be a map of keys, found {YamlNodes.Describe(document.RootNode)}");
                continue;
            }
            var errorsBefore = parser._errors;
            try
            {
                var parsed = parser.ParseRule(root);
                if (parsed is { } ok && parser._errors == errorsBefore) rules.Add(ok);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug in a check must still end as a diagnostic, never as a crash of `rules lint`.
                parser.Error(root, $"internal error while reading the rule: {ex.Message}");
            }
        }
        if (stream.Documents.Count == 0) parser.Warning(1, 1, "the file holds no rule");
        return rules;
    }

    private static string YamlMessage(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        return MarkPrefix().Replace(message, "");
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    private ParsedRule? ParseRule(YamlMappingNode root)
    {
        var keys = new Dictionary<string, (YamlScalarNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                Error(keyNode, "keys must be plain names");
                continue;
            }
            if (!TopKeys.Contains(key))
            {
                Error(keyNode, $"unknown key '{key}' (expected one of: {string.Join(", ", TopKeys)})");
                continue;
            }
            keys[key] = (scalarKey, value);
        }

        var id = RequiredScalar(root, keys, "id");
        if (id is not null && !KebabCase().IsMatch(id))
            Error(keys["id"].Value, $"id '{id}' must be kebab-case (lower-case letters, digits and '-')");
        var title = RequiredScalar(root, keys, "title");
        var level = RequiredScalar(root, keys, "level");
        if (level is not null && !Rule.Levels.Contains(level))
            Error(keys["level"].Value, $"bad level '{level}' (expected one of: {string.Join(", ", Rule.Levels)})");
        var status = OptionalScalar(keys, "status") ?? "experimental";
        if (keys.TryGetValue("status", out var statusKey) && !Rule.Statuses.Contains(status))
            Error(statusKey.Value, $"bad status '{status}' (expected one of: {string.Join(", ", Rule.Statuses)})");
        var description = OptionalScalar(keys, "description") ?? "";
        var references = StringList(keys, "references");
        var falsePositives = StringList(keys, "falsepositives");

        var observation = RequiredScalar(root, keys, "observation");
        if (observation is not null && !ObservationKinds.All.Any(k => ObservationKinds.Matches(observation, k)))
            Error(keys["observation"].Value,
                $"unknown observation kind '{observation}' (expected one of: {string.Join(", ", ObservationKinds.All)}, or a family such as 'jsonrpc')");

        _ruleId = id;
        _ruleKind = observation is not null && ObservationCatalogue.Covered(observation).Count > 0 ? observation : null;
        Detection? detection = null;
        if (!keys.TryGetValue("detection", out var detectionEntry)) Error(root, "missing 'detection'");
        else detection = ParseDetection(detectionEntry.Value);

        var evidence = keys.TryGetValue("evidence", out var evidenceEntry) ? ParseEvidence(evidenceEntry.Value) : new RuleEvidence();
        if (!keys.ContainsKey("evidence")) Warning(root, "no 'evidence': weight 0.5, strength weak assumed");

        var examples = keys.TryGetValue("tests", out var testsEntry) && observation is not null
            ? ParseTests(testsEntry.Value, observation)
            : [];
        if (!keys.ContainsKey("tests")) Warning(root, "the rule has no tests (match/no_match)");

        if (id is null || title is null || level is null || observation is null || detection is null) return null;
        var rule = new Rule
        {
            Id = id,
            Title = title,
            Description = description.Trim(),
            Status = status,
            Level = level,
            References = references,
            FalsePositives = falsePositives,
            Observation = observation,
            Detection = detection,
            Evidence = evidence,
            Examples = examples,
            File = _file,
            Line = (int)root.Start.Line,
            Column = (int)root.Start.Column,
        };
        var idNode = keys["id"].Value;
        return new ParsedRule(rule, (int)idNode.Start.Line, (int)idNode.Start.Column);
    }

    // ---- detection ----

    private Detection? ParseDetection(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, "'detection' must be a map of named selections plus 'condition'");
            return null;
        }
        var selections = new Dictionary<string, Selection>(StringComparer.Ordinal);
        YamlNode? conditionNode = null;
        var ok = true;
        foreach (var (keyNode, value) in map.Children)
        {
            var name = YamlNodes.Text(keyNode);
            if (name == "condition")
            {
                conditionNode = value;
                continue;
            }
            if (name is null || !ConditionParser.IsName(name) || ConditionKeywords.Contains(name))
            {
                Error(keyNode, $"bad selection name '{name}': use letters, digits, '_' or '-', and no condition keyword");
                ok = false;
                continue;
            }
            var selection = ParseSelection(name, value);
            if (selection is null) ok = false;
            else selections[name] = selection;
        }
        if (selections.Count == 0 && ok)
        {
            Error(node, "'detection' has no selection");
            return null;
        }

        string conditionText;
        if (conditionNode is null)
        {
            if (selections.Count != 1)
            {
                if (ok) Error(node, "missing 'condition' (it may be left out only when there is one selection)");
                return null;
            }
            conditionText = selections.Keys.First();
        }
        else if (conditionNode is not YamlScalarNode { Value: not null } conditionScalar)
        {
            Error(conditionNode, "'condition' must be a string such as 'selection and not filter'");
            return null;
        }
        else conditionText = conditionScalar.Value;

        if (!ok) return null;
        try
        {
            var condition = ConditionParser.Parse(conditionText, selections);
            return new Detection(selections, condition, conditionText);
        }
        catch (ConditionSyntaxException ex)
        {
            var at = conditionNode ?? node;
            Error((int)at.Start.Line, conditionNode is null ? (int)at.Start.Column : YamlNodes.ColumnOf(at, ex.Offset),
                $"condition: {ex.Message}");
            return null;
        }
    }

    private Selection? ParseSelection(string name, YamlNode node)
    {
        var alternatives = new List<IReadOnlyList<FieldMatcher>>();
        switch (node)
        {
            case YamlMappingNode map:
                var all = ParseMatcherMap(map);
                if (all is null) return null;
                alternatives.Add(all);
                break;
            case YamlSequenceNode list when list.Children.Count > 0:
                var ok = true;
                foreach (var item in list.Children)
                {
                    if (item is not YamlMappingNode itemMap)
                    {
                        Error(item, $"selection '{name}': each list item must be a map of field: value");
                        ok = false;
                        continue;
                    }
                    var matchers = ParseMatcherMap(itemMap);
                    if (matchers is null) ok = false;
                    else alternatives.Add(matchers);
                }
                if (!ok) return null;
                break;
            default:
                Error(node, $"selection '{name}' must be a map of field: value, or a list of such maps");
                return null;
        }
        return new Selection(name, alternatives);
    }

    private List<FieldMatcher>? ParseMatcherMap(YamlMappingNode map)
    {
        if (map.Children.Count == 0)
        {
            Error(map, "an empty map matches everything; give at least one field");
            return null;
        }
        var matchers = new List<FieldMatcher>();
        var ok = true;
        foreach (var (keyNode, value) in map.Children)
        {
            var matcher = ParseMatcher(keyNode, value);
            if (matcher is null) ok = false;
            else matchers.Add(matcher);
        }
        return ok ? matchers : null;
    }

    private FieldMatcher? ParseMatcher(YamlNode keyNode, YamlNode valueNode)
    {
        var key = YamlNodes.Text(keyNode);
        if (string.IsNullOrWhiteSpace(key))
        {
            Error(keyNode, "a field name is required");
            return null;
        }
        var parts = key.Split('|');
        var field = parts[0];
        if (field.Length == 0 || field.Any(char.IsWhiteSpace))
        {
            Error(keyNode, $"bad field name '{field}'");
            return null;
        }
        if (!IsKnownField(keyNode, field)) return null;

        MatchOperator? op = null;
        bool all = false, cased = false, fromCatalog = false;
        var offset = field.Length;
        for (var i = 1; i < parts.Length; i++)
        {
            offset++; // the '|'
            var modifier = parts[i];
            MatchOperator? next = modifier switch
            {
                "equals" => MatchOperator.Equals,
                "contains" => MatchOperator.Contains,
                "startswith" => MatchOperator.StartsWith,
                "endswith" => MatchOperator.EndsWith,
                "re" or "regex" => MatchOperator.Regex,
                "cidr" => MatchOperator.Cidr,
                "exists" => MatchOperator.Exists,
                _ => null,
            };
            if (modifier == "all") all = true;
            else if (modifier == "cased") cased = true;
            else if (modifier == "catalog") fromCatalog = true;
            else if (next is null)
            {
                Error((int)keyNode.Start.Line, YamlNodes.ColumnOf(keyNode, offset),
                    $"unknown modifier '{modifier}' (expected equals, contains, startswith, endswith, re, regex, cidr, exists, all, cased, catalog)");
                return null;
            }
            else if (op is not null)
            {
                Error((int)keyNode.Start.Line, YamlNodes.ColumnOf(keyNode, offset), $"only one of equals/contains/startswith/endswith/re/cidr/exists per field; '{modifier}' follows another");
                return null;
            }
            else op = next;
            offset += modifier.Length;
        }
        var oper = op ?? MatchOperator.Equals;

        if (oper == MatchOperator.Exists)
        {
            var text = YamlNodes.Text(valueNode);
            if (text is not ("true" or "false"))
            {
                Error(valueNode, $"'{field}|exists' takes true or false");
                return null;
            }
            return new FieldMatcher { Field = field, Operator = oper, Values = [], ExpectExists = text == "true" }.Compile();
        }

        var values = new List<(string? Text, YamlNode Node)>();
        if (valueNode is YamlSequenceNode sequence)
        {
            if (sequence.Children.Count == 0)
            {
                Error(valueNode, $"'{key}' has an empty list of values");
                return null;
            }
            foreach (var item in sequence.Children)
            {
                if (item is not YamlScalarNode)
                {
                    Error(item, $"'{key}': values must be scalars");
                    return null;
                }
                values.Add((YamlNodes.IsNull(item) ? null : YamlNodes.Text(item), item));
            }
        }
        else if (valueNode is YamlScalarNode)
            values.Add((YamlNodes.IsNull(valueNode) ? null : YamlNodes.Text(valueNode), valueNode));
        else
        {
            Error(valueNode, $"'{key}': the value must be a scalar or a list of scalars");
            return null;
        }

        IReadOnlyList<string>? catalogPaths = null;
        if (fromCatalog)
        {
            // field|catalog: SET names host lists of the host catalog (rules/*.catalog.yaml): they are matched exactly.
            if (oper != MatchOperator.Equals)
            {
                Error(keyNode, $"'{key}': catalog lists are matched exactly; no other operator");
                return null;
            }
            var expanded = new List<(string? Text, YamlNode Node)>();
            foreach (var (text, node) in values)
            {
                if (text == HostCatalog.SharedPath && values.Count > 1)
                {
                    Error(node, $"'{key}': '{HostCatalog.SharedPath}' is matched with the request path; list it alone");
                    return null;
                }
                bool noCatalog = _catalog is null || _catalog.Hosts.Count + _catalog.NotMcpHosts.Count == 0;
                var hosts = text is null || noCatalog ? null : _catalog!.Set(text);
                if (hosts is null)
                {
                    Error(node, noCatalog
                        ? $"'{key}': no host catalog (rules/*{HostCatalog.FileSuffix}) was loaded"
                        : $"'{key}': unknown catalog list '{text}' (expected {HostCatalog.McpOnly}, {HostCatalog.Shared}, " +
                          $"{HostCatalog.SharedPath}, {HostCatalog.NotMcp})");
                    return null;
                }
                expanded.AddRange(hosts.Select(h => ((string?)h, node)));
                // shared-path: each host is paired with its MCP path, checked against the request's path.
                if (text == HostCatalog.SharedPath) catalogPaths = _catalog!.SharedPaths();
            }
            if (expanded.Count == 0)
            {
                Error(valueNode, $"'{key}': the catalog list is empty");
                return null;
            }
            values = expanded;
        }

        if (oper != MatchOperator.Equals && values.Any(v => v.Text is null))
        {
            Error(values.First(v => v.Text is null).Node, $"'{key}': null (field absent) only works with equals; use '{field}|exists: false'");
            return null;
        }

        var patterns = new List<RulePattern>();
        var networks = new List<IPNetwork>();
        foreach (var (text, node) in values)
        {
            if (oper == MatchOperator.Regex)
            {
                var regex = RulePattern.TryCreate(text!, out var error);
                if (regex is null)
                {
                    Error(node, $"bad regex '{text}': {error}");
                    return null;
                }
                patterns.Add(regex);
            }
            else if (oper == MatchOperator.Cidr)
            {
                if (!IPNetwork.TryParse(text!, out var network))
                {
                    Error(node, $"bad cidr '{text}' (expected e.g. 10.0.0.0/8 or fd00::/8)");
                    return null;
                }
                networks.Add(network);
            }
        }
        if (cased && oper is MatchOperator.Regex or MatchOperator.Cidr)
            Warning(keyNode, $"'{key}': 'cased' has no effect on {oper.ToString().ToLowerInvariant()} (re is always case-sensitive; use (?i))");

        return new FieldMatcher
        {
            Field = field,
            Operator = oper,
            All = all,
            CaseSensitive = cased,
            Values = values.Select(v => v.Text).ToList(),
            Patterns = patterns,
            Networks = networks,
            CatalogPaths = catalogPaths,
        }.Compile();
    }

    /// <summary>
    /// A field the rule's observation kind never carries would never match (nor record anything): an error naming
    /// the rule and the field, with the nearest catalogued field when one is close.
    /// </summary>
    private bool IsKnownField(YamlNode node, string field)
    {
        if (_ruleKind is null || ObservationCatalogue.IsKnownField(_ruleKind, field)) return true;
        var suggestion = ObservationCatalogue.Suggest(_ruleKind, field);
        Error(node, $"rule '{_ruleId}': unknown field '{field}' for observation '{_ruleKind}'"
            + (suggestion is null ? " (docs/observations.md lists the fields)" : $" (did you mean '{suggestion}'?)"));
        return false;
    }

    // ---- evidence ----

    private RuleEvidence ParseEvidence(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, "'evidence' must be a map (weight, strength, records, endpoint, transport)");
            return new RuleEvidence();
        }
        double weight = 0.5;
        var strength = EvidenceStrength.Weak;
        var endpoint = EndpointHint.Auto;
        string? transport = null;
        var records = new List<RecordSpec>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlNodes.Text(keyNode);
            if (key is null || !EvidenceKeys.Contains(key))
            {
                Error(keyNode, $"unknown key '{key}' in evidence (expected one of: {string.Join(", ", EvidenceKeys)})");
                continue;
            }
            var text = YamlNodes.Text(value);
            switch (key)
            {
                case "weight":
                    if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out weight))
                        Error(value, $"weight must be a number from 0 to 1, found '{text}'");
                    else if (weight is < 0 or > 1 || double.IsNaN(weight))
                        Error(value, $"weight {text} is out of range 0..1");
                    break;
                case "strength":
                    if (!TryLowerEnum(text, out strength))
                        Error(value, $"bad strength '{text}' (expected context, weak, strong or decisive)");
                    break;
                case "endpoint":
                    if (!TryLowerEnum(text, out endpoint))
                        Error(value, $"bad endpoint '{text}' (expected auto, http, host or server)");
                    break;
                case "transport":
                    if (text is null || !KnownTransports.Contains(text))
                        Error(value, $"bad transport '{text}' (expected one of: {string.Join(", ", KnownTransports)})");
                    else transport = text;
                    break;
                case "records":
                    if (value is not YamlMappingNode recordMap)
                    {
                        Error(value, "records must be a map of name: field.path");
                        break;
                    }
                    foreach (var (nameNode, pathNode) in recordMap.Children)
                    {
                        var name = YamlNodes.Text(nameNode);
                        var path = YamlNodes.Text(pathNode);
                        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(path) || pathNode is not YamlScalarNode)
                            Error(pathNode, "each record is name: field.path");
                        else if (IsKnownField(pathNode, path)) records.Add(new RecordSpec(name, path));
                    }
                    break;
            }
        }
        return new RuleEvidence { Weight = weight, Strength = strength, Endpoint = endpoint, Transport = transport, Records = records };
    }

    private static bool TryLowerEnum<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && text.All(char.IsAsciiLetterLower) && Enum.TryParse(text, ignoreCase: true, out value);
    }

    // ---- tests ----

    private List<RuleExample> ParseTests(YamlNode node, string ruleKind)
    {
        var examples = new List<RuleExample>();
        if (node is not YamlMappingNode map)
        {
            Error(node, "'tests' must be a map with 'match' and/or 'no_match' lists");
            return examples;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlNodes.Text(keyNode);
            if (key is null || !TestKeys.Contains(key))
            {
                Error(keyNode, $"unknown key '{key}' in tests (expected match or no_match)");
                continue;
            }
            if (value is not YamlSequenceNode list)
            {
                Error(value, $"'{key}' must be a list of examples");
                continue;
            }
            foreach (var item in list.Children)
            {
                var example = ExampleBuilder.Build(item, ruleKind, key == "match", out var error);
                if (error is not null) Error(error.Value.Node, error.Value.Message);
                else if (example is not null) examples.Add(example);
            }
        }
        return examples;
    }

    // ---- scalar helpers ----

    private string? RequiredScalar(YamlMappingNode root, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, string name)
    {
        if (!keys.TryGetValue(name, out var entry))
        {
            Error(root, $"missing '{name}'");
            return null;
        }
        var text = YamlNodes.Text(entry.Value);
        if (string.IsNullOrWhiteSpace(text) || YamlNodes.IsNull(entry.Value))
        {
            Error(entry.Value, $"'{name}' must be a non-empty string");
            return null;
        }
        return text;
    }

    private string? OptionalScalar(Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, string name)
    {
        if (!keys.TryGetValue(name, out var entry)) return null;
        if (entry.Value is YamlScalarNode scalar) return scalar.Value;
        Error(entry.Value, $"'{name}' must be a string");
        return null;
    }

    private List<string> StringList(Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, string name)
    {
        if (!keys.TryGetValue(name, out var entry)) return [];
        if (entry.Value is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode))
            return [.. list.Children.Select(c => YamlNodes.Text(c) ?? "")];
        Error(entry.Value, $"'{name}' must be a list of strings");
        return [];
    }

    private void Error(YamlNode node, string message) => Error((int)node.Start.Line, (int)node.Start.Column, message);

    private void Error(int line, int column, string message)
    {
        _errors++;
        _diagnostics.Add(new RuleDiagnostic(_file, line, column, DiagnosticSeverity.Error, message));
    }

    private void Warning(YamlNode node, string message) => Warning((int)node.Start.Line, (int)node.Start.Column, message);

    private void Warning(int line, int column, string message) =>
        _diagnostics.Add(new RuleDiagnostic(_file, line, column, DiagnosticSeverity.Warning, message));
}
