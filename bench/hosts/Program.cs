using System.Diagnostics;
using System.Text.Json;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Tests;

// Usage: dotnet run -c Release --project bench/hosts -- [runs] [path/to/shadowmcp.dll]
// For each platform layout: builds a home with every catalogued agent configured, runs the CLI `runs` times and
// prints the median and worst wall time of the whole process and its median CPU time (user + system, from
// /usr/bin/time: on a shared machine wall time measures the neighbours too), with what it found, so speed is never
// bought by reading less. Planted secrets must not appear in the output.
int runs = args.Length > 0 ? int.Parse(args[0]) : 10;
string cli = args.Length > 1 ? args[1] : FindCli();

Console.WriteLine($"| layout | agents | servers | secrets | median wall s | max wall s | median CPU s |");
Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|");
foreach (var os in new[] { HostOs.Linux, HostOs.MacOs, HostOs.Windows })
{
    using var home = new FakeHome(os);
    var times = new List<double>();
    var cpu = new List<double>();
    JsonElement last = default;
    for (int i = 0; i < runs; i++)
    {
        var (code, stdout, wall, cpuSeconds) = Run(cli, "host", "scan", "--home", home.Home, "--os", os.ToString().ToLowerInvariant(),
            "--system-root", home.System, "--project", home.Project, "--format", "json");
        times.Add(wall);
        cpu.Add(cpuSeconds);
        if (code is not (0 or 1)) throw new InvalidOperationException($"host scan exited {code}");
        foreach (var secret in PlantedSecrets.All)
            if (stdout.Contains(secret, StringComparison.Ordinal)) throw new InvalidOperationException("a planted secret was printed");
        last = JsonDocument.Parse(stdout).RootElement.Clone();
    }
    times.Sort();
    cpu.Sort();
    var servers = Servers(last).ToList();
    int agents = servers.Select(s => s.GetProperty("agent").GetString()).Distinct().Count();
    Console.WriteLine($"| {os} | {agents} | {servers.Count} (expected {home.Servers.Count}) | "
        + $"{Count(last, "secrets")} (expected {home.Secrets.Count}) | {times[times.Count / 2]:F3} | {times[^1]:F3} | {cpu[cpu.Count / 2]:F3} |");
}

static IEnumerable<JsonElement> Servers(JsonElement root) => root.GetProperty("servers").EnumerateArray();

static int Count(JsonElement root, string name) => root.GetProperty(name).GetArrayLength();

static (int Code, string Stdout, double Wall, double Cpu) Run(string cli, params string[] args)
{
    var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "-f", "TIME %e %U %S", "dotnet", cli }.Concat(args)) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    var times = stderr.Result.Split('\n').Last(l => l.StartsWith("TIME ", StringComparison.Ordinal)).Split(' ');
    double At(int i) => double.Parse(times[i], System.Globalization.CultureInfo.InvariantCulture);
    return (p.ExitCode, stdout.Result, At(1), At(2) + At(3));
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
