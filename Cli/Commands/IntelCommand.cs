using System.CommandLine;
using System.Text.Json;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp intel import FILE...`: merges remote MCP endpoints from MCP registry documents into the host catalog
/// (rules/imported.catalog.yaml), skipping hosts the catalog already has. Each entry keeps its provenance (the
/// registry search URL of the server's name) and the import date; the rules are linted after the merge.
/// </summary>
internal static class IntelCommand
{
    public const string ImportedFile = "imported" + HostCatalog.FileSuffix;

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "server.json documents or saved /v0/servers responses" };
        var rules = CommonOptions.Rules();
        var import = new Command("import", "Merge remote MCP endpoints from MCP registry documents into the host catalog") { files, rules };
        import.SetAction(parse => (int)Import(parse.GetValue(files)!, parse.GetValue(rules), TimeProvider.System));
        return new Command("intel", "Threat intelligence: the catalog of known remote MCP endpoints") { import };
    }

    internal static ExitCode Import(string[] files, string? rulesDir, TimeProvider time)
    {
        var directory = rulesDir ?? RulesLocator.Find();
        if (directory is null || !Directory.Exists(directory))
        {
            Console.Error.WriteLine("error: rules directory not found (use --rules)");
            return ExitCode.Usage;
        }
        var before = RuleLinter.LintDirectory(directory);
        var known = before.Catalog.Hosts.Concat(before.Catalog.NotMcpHosts).Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
        var added = new List<IntelImport.Remote>();
        foreach (var file in files)
        {
            List<IntelImport.Remote> remotes;
            try
            {
                remotes = IntelImport.Read(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                Console.Error.WriteLine($"error: {file}: {e.Message}");
                return ExitCode.InvalidInput;
            }
            foreach (var remote in remotes.Where(r => known.Add(r.Host))) added.Add(remote);
        }

        var path = Path.Combine(directory, ImportedFile);
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Imported by `shadowmcp intel import` from MCP registry documents.\nhosts:\n";
        if (!existing.EndsWith('\n')) existing += "\n";
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        File.WriteAllText(path, existing + IntelImport.ToYaml(added, today));

        var after = RuleLinter.LintDirectory(directory);
        foreach (var d in after.Diagnostics.Where(d => d.IsError)) Console.Error.WriteLine(d);
        Console.WriteLine($"{added.Count} new host(s) added to {path}; catalog: {after.Catalog.Hosts.Count} host(s)");
        return after.HasErrors ? ExitCode.InvalidInput : ExitCode.Success;
    }
}
