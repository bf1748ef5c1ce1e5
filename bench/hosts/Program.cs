using System.Diagnostics;
using System.Text.Json;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Tests;

// Usage: dotnet run -c Release --project bench/hosts -- [runs] [path/to/shadowmcp.dll]
// For each platform layout: builds a home with every catalogued agent configured, runs the CLI `runs` times and
// prints the median and worst wall time of the whole process, with what it found, so speed is never bought by
// reading less. Planted secrets must not appear in the output.
int runs = args.Length > 0 ? int.Parse(args[0]) : 10;
string cli = args.Length > 1 ? args[1] : FindCli();

Console.WriteLine($"| layout | agents | servers | secrets | median s | max s |");
Console.WriteLine($"|---|---:|---:|---:|---:|---:|");
foreach (var os in new[] { HostOs.Linux, HostOs.MacOs, HostOs.Windows })
{
    using var home = new FakeHome(os);
    var times = new List<double>();
    JsonElement last = default;
    for (int i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        var (code, stdout) = Run(cli, "host", "scan", "--home", home.Home, "--os", os.ToString().ToLowerInvariant(),
            "--system-root", home.System, "--project", home.Project, "--format", "json");
        times.Add(sw.Elapsed.TotalSeconds);
        if (code is not (0 or 1)) throw new InvalidOperationException($"host scan exited {code}");
        foreach (var secret in PlantedSecrets.All)
            if (stdout.Contains(secret, StringComparison.Ordinal)) throw new InvalidOperationException("a planted secret was printed");
        last = JsonDocument.Parse(stdout).RootElement.Clone();
    }
    times.Sort();
    var servers = Servers(last).ToList();
    int agents = servers.Select(s => s.GetProperty("agent").GetString()).Distinct().Count();
    Console.WriteLine($"| {os} | {agents} | {servers.Count} (expected {home.Servers.Count}) | "
        + $"{Count(last, "secrets")} (expected {home.Secrets.Count}) | {times[times.Count / 2]:F3} | {times[^1]:F3} |");
}

static IEnumerable<JsonElement> Servers(JsonElement root) => root.GetProperty("servers").EnumerateArray();

static int Count(JsonElement root, string name) => root.GetProperty(name).GetArrayLength();

static (int, string) Run(string cli, params string[] args)
{
    var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add(cli);
    foreach (var a in args) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    _ = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    return (p.ExitCode, stdout.Result);
}

static string FindCli()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        foreach (var config in new[] { "Release", "Debug" })
        {
            var path = Path.Combine(dir.FullName, "Cli", "bin", config, "net10.0", "shadowmcp.dll");
            if (File.Exists(path)) return path;
        }
    throw new FileNotFoundException("build Cli first, or pass the path to shadowmcp.dll");
}
