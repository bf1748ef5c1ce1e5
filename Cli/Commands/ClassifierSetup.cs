using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Cli.Configuration;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// Loads the settings file and the rules the way every detection command needs them (scan, sensor, probe), and turns
/// what can go wrong into one printed error and an exit code, before any input is read.
/// </summary>
internal static class ClassifierSetup
{
    public static McpClassifier? TryCreate(string? rulesDir, string? configPath, out ExitCode failure)
    {
        failure = ExitCode.Success;
        try
        {
            var config = ShadowMcpConfig.Load(configPath);
            var classifier = McpClassifier.Create(rulesDir ?? RulesLocator.Require(),
                SanctionedSources.ClassifierOptions(config));
            foreach (var w in classifier.Warnings) Console.Error.WriteLine(w);
            return classifier;
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            failure = ExitCode.Usage;
        }
        catch (RuleLoadException ex)
        {
            // Stop before reading any input: a broken rule would silently miss or invent findings.
            foreach (var d in ex.Diagnostics) Console.Error.WriteLine(d);
            Console.Error.WriteLine("error: the rules have errors; nothing was scanned");
            failure = ExitCode.InvalidRules;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            failure = ExitCode.InvalidRules;
        }
        return null;
    }
}
