using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Fleet.Bench;

/// <summary>What both benchmarks use: the built CLI as processes, fresh databases, free ports, CPU time.</summary>
internal static class Fleet
{
    public static string Root { get; } = FindRoot();

    public static string CliDll
    {
        get
        {
            var path = Path.Combine(Root, "Cli", "bin", "Release", "net10.0", "shadowmcp.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException("build the CLI first: dotnet build Cli -c Release", path);
        }
    }

    /// <summary>A new empty database on the server <paramref name="server"/> points at; returns its URL.</summary>
    public static string CreateDatabase(string server, string name)
    {
        var target = StoreTarget.Parse(server);
        var builder = new NpgsqlConnectionStringBuilder(target.Location) { Database = "postgres", Pooling = false };
        var database = $"{name}_{DateTime.UtcNow:HHmmss}_{Environment.ProcessId}";
        using (var conn = new NpgsqlConnection(builder.ConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
            cmd.ExecuteNonQuery();
        }
        var uri = new UriBuilder(server) { Path = "/" + database };
        return uri.Uri.ToString();
    }

    public static long Scalar(string db, string sql)
    {
        using var conn = new NpgsqlConnection(StoreTarget.Parse(db).Location);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>A CLI run to its end under /usr/bin/time: wall and CPU seconds, and its output.</summary>
    public static Timed RunCli(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "TIME %e %U %S", "dotnet", CliDll }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SHADOWMCP_DB");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var times = stderr.Split('\n').Last(l => l.StartsWith("TIME ", StringComparison.Ordinal)).Split(' ');
        if (p.ExitCode != 0)
            throw new InvalidOperationException(
                $"shadowmcp {Masked(string.Join(' ', args))} exited with {p.ExitCode}: "
                + Masked(stdout.Result + stderr));
        double At(int i) => double.Parse(times[i], CultureInfo.InvariantCulture);
        return new Timed(At(1), At(2) + At(3), stdout.Result, stderr);
    }

    /// <summary>Starts a long-running CLI command; waits for <paramref name="ready"/> in its output if given.</summary>
    public static async Task<Process> StartCliAsync(string[] args, string? ready,
        IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliDll }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SHADOWMCP_DB");
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return await StartAsync(psi, ready);
    }

    public static async Task<Process> StartAsync(ProcessStartInfo psi, string? ready)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var p = new Process { StartInfo = psi };
        void Line(string? l)
        {
            if (l is null) return;
            if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
                Console.Error.WriteLine($"  [{psi.FileName}] {l}");
            if (ready is not null && l.Contains(ready, StringComparison.Ordinal)) seen.TrySetResult();
        }
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (ready is null) return p;
        if (await Task.WhenAny(seen.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3))) != seen.Task)
            throw new InvalidOperationException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not start");
        return p;
    }

    public static async Task WaitUntilOkAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            try
            {
                using var r = await http.GetAsync(url);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }
        throw new InvalidOperationException(url + " did not answer");
    }

    /// <summary>A database URL's password never reaches the bench's output.</summary>
    public static string Masked(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@", "$1***@");

    /// <summary>SIGTERM, then the time until it has exited (a portal writes its queued audit rows first).</summary>
    public static async Task<TimeSpan> TerminateAsync(Process p)
    {
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        await p.WaitForExitAsync();
        return clock.Elapsed;
    }

    public static void Stop(Process p)
    {
        if (!p.HasExited) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        p.Dispose();
    }

    /// <summary>User + system CPU seconds the process used so far (/proc/PID/stat, in ticks of 1/100 s).</summary>
    public static double CpuSeconds(Process p)
    {
        var stat = File.ReadAllText($"/proc/{p.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return (Ticks(11) + Ticks(12)) / 100.0; // utime, stime
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }
}

internal sealed record Timed(double Wall, double Cpu, string Stdout, string Stderr);
