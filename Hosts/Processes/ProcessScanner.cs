using System.Text;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Packages;
using ShadowMcp.Hosts.Secrets;

namespace ShadowMcp.Hosts.Processes;

/// <summary>
/// Running processes (Linux /proc) whose command line starts an MCP server: a package or program named like one
/// ("mcp" in it), a package some agent's config declares, or a node/python script whose project depends on an
/// MCP SDK. Arguments that are credentials are redacted before anything keeps them, and reported as secrets.
/// </summary>
public sealed class ProcessScanner(string procRoot = "/proc")
{
    private const int MaxCmdlineBytes = 64 * 1024;

    public (List<DeclaredServer> Servers, List<SecretHit> Secrets) Scan(IReadOnlyCollection<string> declaredPackages)
    {
        var servers = new List<DeclaredServer>();
        var secrets = new List<SecretHit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> dirs;
        try { dirs = Directory.EnumerateDirectories(procRoot); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return (servers, secrets); }
        foreach (var dir in dirs.OrderBy(d => d.Length).ThenBy(d => d, StringComparer.Ordinal))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            var argv = ReadCmdline(Path.Combine(dir, "cmdline"));
            if (argv is not { Count: > 0 }) continue;
            var command = argv[0];
            var args = argv.Skip(1).ToList();
            if (LaunchResolver.ToolName(command) is "shadowmcp") continue;
            var package = LaunchResolver.Resolve(command, args);
            if (package is null || !IsMcpServer(package, command, args, declaredPackages)) continue;
            var source = $"{procRoot}/{pid}/cmdline";
            for (int i = 0; i < args.Count; i++)
                if (SecretDetector.Classify(i > 0 && args[i - 1].StartsWith('-') ? args[i - 1] : null, args[i]) is { } kind)
                {
                    secrets.Add(new SecretHit("running process", source, package.Name, $"args[{i}]", kind));
                    args[i] = SecretHit.Redacted;
                }
            var server = new DeclaredServer
            {
                Agent = "running process",
                Scope = "process",
                ConfigPath = source,
                Name = package.Name,
                Transport = "stdio",
                Command = command,
                Args = args,
                Package = package,
                Origin = "process",
                Pid = pid,
            };
            // npx starts node for the same package: one server, listed once (the first, lowest pid).
            if (seen.Add(server.Identity)) servers.Add(server);
        }
        return (servers, secrets);
    }

    private static bool IsMcpServer(PackageRef package, string command, List<string> args, IReadOnlyCollection<string> declared)
    {
        if (package.Ecosystem != Ecosystems.Local && declared.Contains(package.Name)) return true;
        if (package.Name.Contains("mcp", StringComparison.OrdinalIgnoreCase) && package.Ecosystem != Ecosystems.Local) return true;
        var tool = LaunchResolver.ToolName(command);
        if (tool.Contains("mcp", StringComparison.OrdinalIgnoreCase)) return true;
        var module = args.IndexOf("-m") is >= 0 and var m && m + 1 < args.Count ? args[m + 1] : null;
        if (module is not null && module.Contains("mcp", StringComparison.OrdinalIgnoreCase)) return true;
        if (package.Ecosystem == Ecosystems.Local && package.Name != command)
        {
            // A script run by node/python: its name, or its project's dependencies, say whether it is an MCP server.
            if (Path.GetFileName(package.Name).Contains("mcp", StringComparison.OrdinalIgnoreCase)) return true;
            return SdkDependency.Declared(package.Name);
        }
        return false;
    }

    private static List<string>? ReadCmdline(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxCmdlineBytes];
            int total = 0, n;
            while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total == 0) return null;
            return [.. Encoding.UTF8.GetString(buffer, 0, total).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process exited, or belongs to another user: not ours to read.
            return null;
        }
    }
}
