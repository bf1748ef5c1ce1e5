using System.CommandLine;
using System.Data.Common;
using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Cli;

/// <summary>
/// `audit import [FILE] [--config F] [--key-file F]`: puts the rows a portal wrote to its fallback file (the audit
/// store failing as it stopped) into the chain, keyed and stamped as the portal would (<see cref="AuditImporter"/>).
/// Prints counts, row numbers and the file's hash; never a row's content.
/// </summary>
internal static class AuditImportCommand
{
    public static Command Create(Func<ParseResult, string> dbPath, TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("FILE")
        {
            Description = $"Fallback file to import (default: {AuditLog.FallbackFileName} beside the store)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var keyFile = new Option<string?>("--key-file") { Description = "Audit HMAC key (default: from --config, or beside the store)" };
        var config = new Option<string?>("--config") { Description = "Portal config file, for its portal.audit key paths and replicaId" };
        var import = new Command("import",
            "Append the rows a portal wrote to its fallback file to the chain (original times and replicas), once, then rename the file")
            { file, keyFile, config };
        import.SetAction(async (parse, _) =>
        {
            var cfg = new PortalConfig();
            if (parse.GetValue(config) is { Length: > 0 } configPath)
            {
                try { cfg = PortalConfigLoader.Load(configPath); }
                catch (PortalConfigException e) { return Fail(stderr, ExitCode.Usage, e.Message); }
            }
            try
            {
                var store = new PortalStore(dbPath(parse));
                AuditKeys keys;
                try { keys = AuditKeys.ReadOnly(cfg.Portal.Audit, store.KeyDirectory, parse.GetValue(keyFile)); }
                catch (InvalidOperationException e) { return Fail(stderr, ExitCode.Usage, e.Message); }
                var path = parse.GetValue(file) is { Length: > 0 } given ? given : Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName);
                var importer = new AuditImporter(store, keys.HmacKey, PortalServiceCollectionExtensions.ReplicaId(cfg, store), TimeProvider.System);
                Report(stdout, stderr, Path.GetFullPath(path), await importer.ImportAsync(path));
                return (int)ExitCode.Success;
            }
            catch (AuditImportException e) { return Fail(stderr, e.Code, e.Message); }
            catch (Exception e) when (e is DbException or ShadowMcp.Core.Store.StoreException)
            {
                // A commit whose answer was lost may have gone in: the summary row makes a rerun add nothing twice.
                return Fail(stderr, ExitCode.StoreError,
                    $"{e.Message} (the file is left as it is; run the command again: rows already in the chain are recognised and not added twice)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(stderr, ExitCode.StoreError, e.Message);
            }
        });
        return import;
    }

    private static void Report(TextWriter stdout, TextWriter stderr, string path, AuditImportResult r)
    {
        if (r.AlreadyImported)
            stdout.WriteLine($"{path} was imported before (summary row {r.SummarySeq}); nothing added");
        else if (r.SummarySeq == 0)
            stdout.WriteLine($"{path} holds no rows; nothing imported");
        else if (r.Rows > 0)
            stdout.WriteLine($"imported {r.Rows} row(s) from {path} (sha256 {r.Sha256}) as rows {r.FirstSeq}..{r.SummarySeq - 1}; summary row {r.SummarySeq}");
        else
            stdout.WriteLine($"imported 0 row(s) from {path} (sha256 {r.Sha256}); summary row {r.SummarySeq}");
        if (r.Skipped > 0)
            stdout.WriteLine($"skipped {r.Skipped} row(s) already in the chain (rows {AuditImportResult.Ranges(r.SkippedAt)}): " +
                "their batch was committed though the portal lost the store's answer");
        if (r.RenamedTo is { } renamed) stdout.WriteLine($"renamed it to {renamed}");
        foreach (var torn in r.Torn)
        {
            var how = torn.Unterminated ? "no line end" : "ended by a later spill";
            stdout.WriteLine($"{path}:{torn.Line}: torn line ({torn.Bytes} bytes, {how}: a portal was killed while writing it): " +
                $"not imported, kept as line {torn.Line} of {r.RenamedTo ?? path}");
        }
        if (r.LeftBecause is { } why) stderr.WriteLine($"audit import: {path}: {why}");
    }

    private static int Fail(TextWriter stderr, ExitCode code, string message)
    {
        stderr.WriteLine($"audit import: {message}");
        return (int)code;
    }
}
