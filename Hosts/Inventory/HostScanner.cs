using System.Text.Json.Nodes;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Reading;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>
/// Inventories the MCP servers declared on one machine, read-only: every catalogued file of every agent in each
/// home directory, the machine-wide managed files, and the project directories given or listed by Claude Code. A
/// file that cannot be read or parsed is a <see cref="ConfigProblem"/>; the rest of the scan goes on.
/// </summary>
public sealed class HostScanner(TimeProvider time)
{
    public HostInventory Scan(HostScanOptions options)
    {
        var run = new Run(options);
        var catalog = AgentCatalog.For(options.Os);
        var homes = options.Homes.Count > 0 ? options.Homes : DefaultHomes(options.Os);
        var projects = new List<string>(options.Projects);
        foreach (var home in homes)
            foreach (var location in catalog.Where(l => l.Base == PathBase.Home))
                foreach (var root in run.Read(home, location))
                    if (location.Shape == ConfigShape.ClaudeCodeUser && options.FollowClaudeProjects
                        && root?["projects"] is JsonObject listed)
                        projects.AddRange(listed.Select(p => p.Key).Where(Directory.Exists));
        foreach (var location in catalog.Where(l => l.MovedBy is not null))
            if (options.MovedFolders.TryGetValue(location.MovedBy!, out var folder) && Path.IsPathFullyQualified(folder))
                run.Read(folder, location with { RelativePath = location.MovedPath! }).Consume();
        if (options.SystemRoot is { } system)
            foreach (var location in catalog.Where(l => l.Base == PathBase.System))
                run.Read(system, location).Consume();
        foreach (var project in projects.Distinct(StringComparer.Ordinal))
            foreach (var location in catalog.Where(l => l.Base == PathBase.Project))
                run.Read(project, location).Consume();

        return new HostInventory
        {
            HostName = options.HostName ?? Environment.MachineName,
            ScanId = Guid.NewGuid().ToString("n"),
            ScannedAt = time.GetUtcNow().UtcDateTime,
            Os = options.Os.ToWire(),
            Homes = [.. homes],
            Servers = run.Servers,
            Secrets = run.Secrets,
            Problems = run.Problems,
            FilesRead = run.FilesRead,
        };
    }

    /// <summary>The current user's home; as root (or Administrator), every user's.</summary>
    public static IReadOnlyList<string> DefaultHomes(HostOs os)
    {
        var own = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!Environment.IsPrivilegedProcess) return [own];
        var (parent, skip) = os switch
        {
            HostOs.MacOs => ("/Users", (string[])["Shared"]),
            HostOs.Windows => (Path.Combine(Path.GetPathRoot(own) ?? "C:\\", "Users"),
                ["Public", "Default", "Default User", "All Users"]),
            _ => ("/home", []),
        };
        var homes = new List<string> { own };
        try
        {
            homes.AddRange(Directory.EnumerateDirectories(parent).Where(d => !skip.Contains(Path.GetFileName(d)))
                .Order(StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No /home (containers): the own home is still read.
        }
        return [.. homes.Distinct(StringComparer.Ordinal)];
    }

    private sealed class Run(HostScanOptions options)
    {
        private readonly HashSet<(string, ConfigShape)> _seen = [];
        public List<DeclaredServer> Servers { get; } = [];
        public List<SecretHit> Secrets { get; } = [];
        public List<ConfigProblem> Problems { get; } = [];
        public List<string> FilesRead { get; } = [];

        /// <summary>Reads every file <paramref name="location"/> names under <paramref name="baseDir"/>; yields each parsed tree.</summary>
        public IEnumerable<JsonNode?> Read(string baseDir, ConfigLocation location)
        {
            foreach (var path in Expand(baseDir, location.RelativePath))
            {
                if (!_seen.Add((Path.GetFullPath(path), location.Shape))) continue;
                if (!ConfigFileReader.TryRead(path, options.Limits, out var text, out var problem))
                {
                    Problems.Add(problem!);
                    continue;
                }
                FilesRead.Add(path);
                if (!ConfigParser.TryParse(path, text, location.Format, options.Limits, out var root, out problem))
                {
                    Problems.Add(problem!);
                    continue;
                }
                var context = new FileContext(location.Agent, location.Scope, path);
                ShapeReader.Read(location.Shape, context, root, Servers, Secrets);
                yield return root;
            }
        }

        /// <summary>
        /// The files a catalogued path names: a "*" directory segment stands for every subdirectory (VS Code
        /// profiles), a last segment "*.ext" for every such file in its directory.
        /// </summary>
        private IEnumerable<string> Expand(string baseDir, string relative)
        {
            var star = relative.IndexOf("/*/", StringComparison.Ordinal);
            if (star < 0) return ExpandFiles(baseDir, relative);
            var parent = Path.Combine(baseDir, relative[..star].Replace('/', Path.DirectorySeparatorChar));
            var rest = relative[(star + 3)..];
            return Subdirectories(parent).SelectMany(dir => Expand(dir, rest));
        }

        private IEnumerable<string> Subdirectories(string parent)
        {
            if (!Directory.Exists(parent)) return [];
            try
            {
                var dirs = Directory.EnumerateDirectories(parent)
                    // A symlinked profile folder could point anywhere (or at itself); only real folders are followed.
                    .Where(d => new DirectoryInfo(d).LinkTarget is null)
                    .Order(StringComparer.Ordinal).ToArray();
                if (dirs.Length > options.Limits.MaxFilesPerDirectory)
                    Problems.Add(new ConfigProblem(parent, null,
                        $"{dirs.Length} folders; only the first {options.Limits.MaxFilesPerDirectory} are read"));
                return dirs.Take(options.Limits.MaxFilesPerDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problems.Add(new ConfigProblem(parent, null, $"cannot list the directory: {ex.Message}"));
                return [];
            }
        }

        private IEnumerable<string> ExpandFiles(string baseDir, string relative)
        {
            var full = Path.Combine(baseDir, relative.Replace('/', Path.DirectorySeparatorChar));
            var name = Path.GetFileName(full);
            if (!name.StartsWith("*.", StringComparison.Ordinal))
            {
                var info = new FileInfo(full);
                // A dangling or looping symlink, or a directory, does not "exist" as a file but is still reported.
                if (info.Exists || info.LinkTarget is not null || Directory.Exists(full)) yield return full;
                yield break;
            }
            var dir = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(dir)) yield break;
            string[] files;
            try
            {
                files = [.. Directory.EnumerateFiles(dir)
                    .Where(f => f.EndsWith(name[1..], StringComparison.OrdinalIgnoreCase)
                        || name == "*.yaml" && f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problems.Add(new ConfigProblem(dir, null, $"cannot list the directory: {ex.Message}"));
                yield break;
            }
            if (files.Length > options.Limits.MaxFilesPerDirectory)
                Problems.Add(new ConfigProblem(dir, null,
                    $"{files.Length} files; only the first {options.Limits.MaxFilesPerDirectory} are read"));
            foreach (var f in files.Take(options.Limits.MaxFilesPerDirectory)) yield return f;
        }
    }
}

internal static class EnumerableExtensions
{
    /// <summary>Runs a lazy sequence for its side effects.</summary>
    public static void Consume<T>(this IEnumerable<T> items)
    {
        foreach (var _ in items) { }
    }
}
