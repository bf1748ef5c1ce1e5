using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// How a worker process is started: `shadowmcp codemode-worker` wrapped, when the tools exist, in
/// `unshare --net` (root only: a network namespace with nothing in it), `prlimit` (address space, CPU seconds,
/// no core files, few descriptors; RLIMIT_FSIZE=0 would stop the runtime's own memfd mappings) and `nice -n 19` (executions get little CPU while the
/// portal's own threads want it). The environment is empty apart from runtime settings.
/// </summary>
internal sealed class WorkerLauncher
{
    private readonly CodeModeSettings _settings;
    private readonly List<string> _command;
    private readonly List<string> _wrappers = [];

    public WorkerLauncher(CodeModeSettings settings)
    {
        _settings = settings;
        _command = settings.WorkerCommand.Count > 0 ? [.. settings.WorkerCommand] : DefaultCommand();
        if (!OperatingSystem.IsLinux()) return;
        if (settings.IsolateNetwork && Environment.IsPrivilegedProcess && Find("unshare") is { } unshare)
        {
            _wrappers.AddRange([unshare, "--net", "--"]);
            NetworkIsolated = true;
        }
        if (Find("prlimit") is { } prlimit)
        {
            var cpuHard = (long)Math.Ceiling((settings.TimeoutSeconds + 2) * settings.MaxRunsPerWorker) + 10;
            _wrappers.AddRange([prlimit, $"--as={settings.EffectiveAddressSpaceBytes}", $"--cpu={cpuHard}",
                "--core=0", "--nofile=512", "--"]);
            MemoryLimited = true;
        }
        // Nice 19 rather than SCHED_IDLE: an idle-class worker starves outright on a machine busy with anything
        // else, while nice 19 still weighs 15 against the portal's 1024 when they compete for a core.
        if (settings.WorkerNice > 0 && Find("nice") is { } nice)
            _wrappers.AddRange([nice, "-n", Math.Min(19, settings.WorkerNice).ToString(CultureInfo.InvariantCulture)]);
    }

    public bool NetworkIsolated { get; private set; }
    public bool MemoryLimited { get; }

    /// <summary>The network namespace needs privileges some containers withhold; the next start goes without.</summary>
    public bool DropNetworkIsolation()
    {
        if (!NetworkIsolated) return false;
        _wrappers.RemoveRange(0, 3);
        NetworkIsolated = false;
        return true;
    }

    public ProcessStartInfo StartInfo()
    {
        var argv = _wrappers.Concat(_command).ToList();
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in argv.Skip(1)) info.ArgumentList.Add(arg);
        // Nothing of the portal's environment (secrets, tokens, proxies) reaches the sandbox.
        info.Environment.Clear();
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_GCHeapHardLimit"] = _settings.WorkerHeapBytes.ToString("x", CultureInfo.InvariantCulture);
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) info.Environment["DOTNET_ROOT"] = root;
        return info;
    }

    /// <summary>
    /// This executable when it is shadowmcp; otherwise (tests, benches, `dotnet shadowmcp.dll`) shadowmcp.dll
    /// next to the portal's assembly, run by the dotnet host this process runs on.
    /// </summary>
    private static List<string> DefaultCommand()
    {
        var process = Environment.ProcessPath;
        var entry = Assembly.GetEntryAssembly();
        var isDotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet";
        if (entry?.GetName().Name == "shadowmcp" && process is not null)
            return isDotnet ? [process, entry.Location, CodeModeWorker.CommandName] : [process, CodeModeWorker.CommandName];
        var dll = Path.Combine(AppContext.BaseDirectory, "shadowmcp.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException("cannot find shadowmcp to start code-mode workers; set codeMode.workerCommand");
        var host = isDotnet ? process! : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return [host, dll, CodeModeWorker.CommandName];
    }

    private static string? Find(string tool)
    {
        foreach (var dir in new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" })
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
