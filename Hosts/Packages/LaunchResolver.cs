namespace ShadowMcp.Hosts.Packages;

/// <summary>
/// Reads a stdio server's command line the way its launcher would, to name the package it runs: npx / npm exec /
/// pnpm dlx / yarn dlx / bunx for npm, uvx / uv tool run / pipx run for PyPI, docker / podman run for an OCI image,
/// dnx / dotnet dnx for NuGet, and a node_modules path under node. Anything else is a local program.
/// </summary>
public static class LaunchResolver
{
    public static PackageRef? Resolve(string? command, IReadOnlyList<string> args)
    {
        if (string.IsNullOrWhiteSpace(command)) return null;
        var tool = ToolName(command);
        // Windows configs wrap launchers in "cmd /c npx ...": look through the shell.
        if (tool is "cmd" && args.Count >= 2 && args[0] is "/c" or "/C" or "/k" or "/K")
            return Resolve(args[1], [.. args.Skip(2)]);
        return tool switch
        {
            "npx" or "bunx" => Npm(args, 0, tool),
            "npm" or "pnpm" or "yarn" when args.Count > 0 && args[0] is "exec" or "x" or "dlx" => Npm(args, 1, $"{tool} {args[0]}"),
            "bun" when args.Count > 0 && args[0] is "x" => Npm(args, 1, "bun x"),
            "uvx" => PyPi(args, 0, "uvx"),
            "uv" when args.Count > 1 && args[0] is "tool" && args[1] is "run" => PyPi(args, 2, "uv tool run"),
            "pipx" when args.Count > 0 && args[0] is "run" => PyPi(args, 1, "pipx run"),
            "docker" or "podman" or "nerdctl" when args.Count > 0 && args[0] is "run" => Oci(args, 1, $"{tool} run"),
            "docker" or "podman" when args.Count > 1 && args[0] is "container" && args[1] is "run" => Oci(args, 2, $"{tool} run"),
            "dnx" => NuGet(args, 0, "dnx"),
            "dotnet" when args.Count > 0 && args[0] is "dnx" => NuGet(args, 1, "dotnet dnx"),
            "dotnet" when args.Count > 1 && args[0] is "tool" && args[1] is "exec" => NuGet(args, 2, "dotnet tool exec"),
            "node" or "nodejs" or "bun" or "deno" => NodeModule(command, args, tool),
            _ when tool.StartsWith("python", StringComparison.Ordinal) || tool is "py" => PythonScript(command, args, tool),
            _ => new PackageRef(Ecosystems.Local, command, null, tool),
        };
    }

    /// <summary>"C:\\Program Files\\nodejs\\npx.cmd" → "npx".</summary>
    public static string ToolName(string command)
    {
        var name = command.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].ToLowerInvariant();
        foreach (var ext in (string[])[".exe", ".cmd", ".bat", ".ps1"])
            if (name.EndsWith(ext, StringComparison.Ordinal)) return name[..^ext.Length];
        return name;
    }

    private static readonly HashSet<string> NpmValueOptions = ["-p", "--package", "-c", "--call", "--registry", "--cache", "-w", "--workspace"];

    private static PackageRef? Npm(IReadOnlyList<string> args, int start, string launcher)
    {
        string? package = null;
        for (int i = start; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-p" or "--package" && i + 1 < args.Count) { package ??= args[++i]; continue; }
            if (a.StartsWith("--package=", StringComparison.Ordinal)) { package ??= a["--package=".Length..]; continue; }
            if (a == "--") continue;
            if (a.StartsWith('-'))
            {
                if (NpmValueOptions.Contains(a)) i++;
                continue;
            }
            package ??= a;
            break;
        }
        if (package is null) return null;
        var (name, version) = PackageSpecs.Npm(package);
        return new PackageRef(Ecosystems.Npm, name, version, launcher);
    }

    private static readonly HashSet<string> UvValueOptions =
        ["--with", "-w", "--python", "-p", "--index", "--index-url", "--extra-index-url", "--default-index", "-i", "--spec", "--env-file"];

    private static PackageRef? PyPi(IReadOnlyList<string> args, int start, string launcher)
    {
        string? package = null;
        for (int i = start; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--from" or "--spec" && i + 1 < args.Count) { package ??= args[++i]; continue; }
            if (a.StartsWith("--from=", StringComparison.Ordinal)) { package ??= a["--from=".Length..]; continue; }
            if (a == "--") continue;
            if (a.StartsWith('-'))
            {
                if (UvValueOptions.Contains(a)) i++;
                continue;
            }
            package ??= a;
            break;
        }
        if (package is null) return null;
        // "git+https://..." or a path: not a PyPI package; keep the source as the name.
        if (package.Contains("://", StringComparison.Ordinal) || package.StartsWith('.') || package.StartsWith('/'))
            return new PackageRef(Ecosystems.Local, package, null, launcher);
        var (name, version) = PackageSpecs.PyPi(package);
        return new PackageRef(Ecosystems.PyPi, name, version, launcher);
    }

    /// <summary>docker run options that take a value as the next argument (so that value is not the image).</summary>
    private static readonly HashSet<string> DockerValueOptions =
    [
        "-e", "--env", "--env-file", "-v", "--volume", "--mount", "--name", "--network", "--net", "-p", "--publish",
        "-w", "--workdir", "-u", "--user", "--entrypoint", "--platform", "-l", "--label", "--add-host", "--cpus",
        "-m", "--memory", "--pull", "-h", "--hostname", "--device", "--cap-add", "--cap-drop", "--security-opt",
        "--tmpfs", "--ulimit", "--log-driver", "--log-opt", "--restart", "--runtime", "--gpus", "--ipc", "--pid",
        "--dns", "--shm-size", "--stop-signal", "--stop-timeout", "--group-add", "--userns", "--uts", "--cgroupns",
        "--memory-swap", "--cpu-shares", "-c", "--cidfile", "--health-cmd", "--label-file", "--link", "--mac-address",
        "--ip", "--ip6", "--volumes-from", "--expose",
    ];

    private static PackageRef? Oci(IReadOnlyList<string> args, int start, string launcher)
    {
        for (int i = start; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith('-'))
            {
                if (!a.Contains('=') && DockerValueOptions.Contains(a)) i++;
                continue;
            }
            var (name, version) = PackageSpecs.Oci(a);
            return new PackageRef(Ecosystems.Oci, name, version, launcher);
        }
        return null;
    }

    private static PackageRef? NuGet(IReadOnlyList<string> args, int start, string launcher)
    {
        string? package = null, version = null;
        for (int i = start; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--version" && i + 1 < args.Count) { version = args[++i]; continue; }
            if (a == "--") break;
            if (a.StartsWith('-'))
            {
                if (a is "--source" or "--add-source" or "--configfile" or "--framework") i++;
                continue;
            }
            package ??= a;
        }
        if (package is null) return null;
        var (name, pinned) = PackageSpecs.NuGet(package);
        return new PackageRef(Ecosystems.NuGet, name, pinned ?? version, launcher);
    }

    /// <summary>"python -m mcp_server_x" names a module; "python /srv/server.py" a local script.</summary>
    private static PackageRef PythonScript(string command, IReadOnlyList<string> args, string tool)
    {
        var m = args.ToList().IndexOf("-m");
        if (m >= 0 && m + 1 < args.Count) return new PackageRef(Ecosystems.Local, $"{tool} -m {args[m + 1]}", null, tool);
        var script = args.FirstOrDefault(a => !a.StartsWith('-'));
        return new PackageRef(Ecosystems.Local, script ?? command, null, tool);
    }

    /// <summary>"node /x/node_modules/@scope/pkg/dist/index.js" runs an installed npm package; other scripts are local.</summary>
    private static PackageRef NodeModule(string command, IReadOnlyList<string> args, string tool)
    {
        var script = args.FirstOrDefault(a => !a.StartsWith('-'));
        if (script is null) return new PackageRef(Ecosystems.Local, command, null, tool);
        var path = script.Replace('\\', '/');
        var nm = path.LastIndexOf("/node_modules/", StringComparison.Ordinal);
        if (nm >= 0)
        {
            var parts = path[(nm + "/node_modules/".Length)..].Split('/');
            var name = parts[0].StartsWith('@') && parts.Length > 1 ? $"{parts[0]}/{parts[1]}" : parts[0];
            if (name.Length > 0) return new PackageRef(Ecosystems.Npm, name, null, tool);
        }
        return new PackageRef(Ecosystems.Local, script, null, tool);
    }
}
