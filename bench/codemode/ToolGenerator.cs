using System.Text.Json;
using ModelContextProtocol.Protocol;

/// <summary>Deterministic, realistic tool definitions: service_verb_noun names, sentences, typed and described properties.</summary>
internal static class ToolGenerator
{
    private static readonly string[] Services = ["github", "jira", "slack", "salesforce", "stripe", "zendesk", "datadog", "notion", "gitlab", "hubspot"];
    private static readonly string[] Verbs = ["get", "list", "create", "update", "delete", "search", "archive", "assign", "export", "sync"];
    private static readonly string[] Nouns = ["issue", "comment", "user", "project", "invoice", "ticket", "dashboard", "page", "pipeline", "contact", "channel", "webhook", "report", "label", "milestone"];

    public static List<Tool> Generate(int count)
    {
        var random = new Random(42);
        var tools = new List<Tool>(count);
        for (var i = 0; i < count; i++)
        {
            var service = Services[i % Services.Length];
            var verb = Verbs[(i / Services.Length) % Verbs.Length];
            var noun = Nouns[(i / (Services.Length * Verbs.Length)) % Nouns.Length];
            var name = $"{service}_{verb}_{noun}" + (i >= Services.Length * Verbs.Length * Nouns.Length ? $"_{i}" : "");
            var properties = new Dictionary<string, object>
            {
                [$"{noun}_id"] = new { type = "string", description = $"The {noun} identifier in {service}." },
                ["limit"] = new { type = "integer", minimum = 1, maximum = 100, description = "Maximum number of items to return." },
                ["cursor"] = new { type = "string", description = "Pagination cursor from a previous response." },
            };
            if (random.Next(2) == 0) properties["state"] = new { type = "string", @enum = new[] { "open", "closed", "all" }, description = $"Filter by {noun} state." };
            if (random.Next(3) == 0) properties["labels"] = new { type = "array", items = new { type = "string" }, description = "Labels to filter by." };
            if (random.Next(3) == 0) properties["fields"] = new { type = "object", additionalProperties = new { type = "string" }, description = "Custom field values keyed by field name." };
            tools.Add(new Tool
            {
                Name = name,
                Description = $"{char.ToUpperInvariant(verb[0])}{verb[1..]} a {noun} in {service}. Returns the {noun} with its metadata; requires the {service}:{noun}s scope.",
                InputSchema = JsonSerializer.SerializeToElement(new { type = "object", properties, required = new[] { $"{noun}_id" } }),
                Annotations = new ToolAnnotations { ReadOnlyHint = verb is "get" or "list" or "search" or "export" },
            });
        }
        return tools;
    }
}
