using System.CommandLine;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Testing;
using ShadowMcp.Core;

namespace ShadowMcp.Cli.Commands;

/// <summary>`shadowmcp rules lint|test`: check rule files the way CI does, with file:line:column diagnostics.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var cmd = new Command("rules", "Check detection rules");
        cmd.Subcommands.Add(Lint());
        cmd.Subcommands.Add(Test());
        return cmd;
    }

    private static Argument<string[]> Paths() => new("paths")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "Rule files or directories (default: the shipped rules/)",
    };

    private static Command Lint()
    {
        var paths = Paths();
        var cmd = new Command("lint", "Report rule errors as file:line:column") { paths };
        cmd.SetAction(parse =>
        {
            var result = LintPaths(parse.GetValue(paths) ?? []);
            if (result is null) return (int)ExitCode.Usage;
            foreach (var d in result.Diagnostics) Console.WriteLine(d);
            var errors = result.Diagnostics.Count(d => d.IsError);
            Console.Error.WriteLine($"{result.Files.Count} file(s), {result.Rules.Count} rule(s), {errors} error(s), {result.Diagnostics.Count - errors} warning(s)");
            return errors > 0 ? (int)ExitCode.InvalidRules : 0;
        });
        return cmd;
    }

    private static Command Test()
    {
        var paths = Paths();
        var verbose = CommonOptions.Verbose();
        var cmd = new Command("test", "Run every rule's match/no_match examples") { paths, verbose };
        cmd.SetAction(parse =>
        {
            var lint = LintPaths(parse.GetValue(paths) ?? []);
            if (lint is null) return (int)ExitCode.Usage;
            foreach (var d in lint.Diagnostics.Where(d => d.IsError)) Console.WriteLine(d);
            var results = RuleTestRunner.Run(lint.Rules);
            foreach (var r in results.Where(r => !r.Passed || parse.GetValue(verbose))) Console.WriteLine(r);
            var failed = results.Count(r => !r.Passed);
            Console.WriteLine($"{results.Count - failed} passed, {failed} failed");
            return failed > 0 || lint.HasErrors ? (int)ExitCode.InvalidRules : 0;
        });
        return cmd;
    }

    private static RuleLintResult? LintPaths(string[] paths)
    {
        try
        {
            if (paths.Length == 0) return RuleLinter.LintDirectory(RulesLocator.Require());
            var files = new List<string>();
            foreach (var p in paths)
            {
                if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
                else if (File.Exists(p)) files.Add(p);
                else throw new FileNotFoundException($"{p}: no such file or directory");
            }
            return RuleLinter.LintFiles(files);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }
}
