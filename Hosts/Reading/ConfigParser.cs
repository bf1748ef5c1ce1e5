using System.Text.Json;
using System.Text.Json.Nodes;
using ShadowMcp.Hosts.Agents;

namespace ShadowMcp.Hosts.Reading;

/// <summary>
/// Turns a config file's text into one JSON tree whatever its syntax, so one extractor reads every agent's entries.
/// A syntax error or a nesting deeper than the limit is a <see cref="ConfigProblem"/> with the file's line.
/// </summary>
public static class ConfigParser
{
    public static bool TryParse(string path, string text, ConfigFormat format, ReadLimits limits, out JsonNode? root,
        out ConfigProblem? problem)
    {
        root = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        try
        {
            root = format switch
            {
                ConfigFormat.Toml => TomlTree.Parse(text, path, limits.MaxDepth),
                ConfigFormat.Yaml => YamlTree.Parse(text, limits.MaxDepth),
                _ => JsonNode.Parse(text, null, new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                    MaxDepth = limits.MaxDepth,
                }),
            };
            return true;
        }
        catch (JsonException ex)
        {
            problem = new ConfigProblem(path, (int?)ex.LineNumber + 1, FirstSentence(ex.Message));
        }
        catch (Tomlyn.TomlException ex)
        {
            problem = new ConfigProblem(path, ex.Line, FirstSentence(ex.Message));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            problem = new ConfigProblem(path, (int)ex.Start.Line, FirstSentence(ex.Message));
        }
        catch (ConfigTooDeepException ex)
        {
            problem = new ConfigProblem(path, ex.Line, ex.Message);
        }
        return false;
    }

    /// <summary>Parser messages repeat the position and sometimes the offending text; the first sentence is enough.</summary>
    private static string FirstSentence(string message)
    {
        var line = message.Split('\n')[0].Trim();
        // System.Text.Json appends the position (already in the problem); Tomlyn prefixes "file(line,col) : error : ".
        line = line.Split(" LineNumber:")[0].Trim();
        if (line.IndexOf(" : error : ", StringComparison.Ordinal) is >= 0 and var at) line = line[(at + " : error : ".Length)..];
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}

/// <summary>Nesting deeper than <see cref="ReadLimits.MaxDepth"/>.</summary>
public sealed class ConfigTooDeepException(int? line, int maxDepth)
    : Exception($"nested deeper than {maxDepth} levels; skipped")
{
    public int? Line { get; } = line;
}
