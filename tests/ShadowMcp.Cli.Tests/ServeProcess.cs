using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A real `shadowmcp serve` on a free loopback port in its own temp folder, with an admin token and no report
/// catch-up; its output is kept for failure messages. Disposing kills it and removes the folder.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServeProcess(string dir, int port, Process process)
    {
        Dir = dir;
        Port = port;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Dir { get; }
    public int Port { get; }
    /// <summary>The store: serve.db in <see cref="Dir"/>, or the database given to <see cref="Start"/>.</summary>
    public string Db { get; private init; } = "";

    public int Pid => _process.Id;

    /// <summary>What serve printed so far, for an assertion's message.</summary>
    public string Output
    {
        get { lock (_output) return string.Join("\n", _output); }
    }

    /// <param name="arguments">Given after `serve --urls URL --db DB`; `{dir}` stands for the process's folder.</param>
    /// <param name="environment">Settings as `SHADOWMCP_` variables, given the port (e.g. a capture filter on it).</param>
    /// <param name="db">The store (e.g. a PostgreSQL URL shared by several serve processes); default serve.db in its folder.</param>
    public static ServeProcess Start(string[] arguments, Func<int, Dictionary<string, string>> environment, string? db = null)
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-serve-").FullName;
        var port = FreePort();
        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        db ??= Path.Combine(dir, "serve.db");
        foreach (var a in new[] { RepoPaths.CliDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--db", db })
            psi.ArgumentList.Add(a);
        foreach (var a in arguments) psi.ArgumentList.Add(a.Replace("{dir}", dir, StringComparison.Ordinal));
        psi.Environment["SHADOWMCP_Admin__AdminToken"] = "serve-test-admin-token-0123456789";
        psi.Environment["SHADOWMCP_Reports__CatchUpOnStart"] = "false";
        foreach (var (name, value) in environment(port)) psi.Environment[name] = value;
        return new ServeProcess(dir, port, Process.Start(psi)!) { Db = db };
    }

    private void Keep(string? line)
    {
        if (line is not null) lock (_output) _output.Add(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs, its sessions just drop.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public bool Exited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
