using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace ShadowMcp.Tests;

/// <summary>
/// A real, throwaway PostgreSQL server from Debian's `postgresql` package: `initdb` into a temp folder and `pg_ctl
/// start` on a free 127.0.0.1 port, run as the `postgres` OS user when the tests run as root (the server refuses
/// root). One server per test run, started by the first test that asks for a database and stopped by
/// <see cref="LocalPostgresRun"/> at the end; each caller gets a fresh database on it. The superuser password is
/// random per run, so nothing secret is written into the repository. fsync is off: a test server need not survive
/// a power cut.
/// Linked into each test project that needs it (see the csproj files).
/// </summary>
internal sealed class LocalPostgres
{
    private static readonly object Gate = new();
    private static LocalPostgres? _shared;
    private static int _databases;

    private readonly string _dir;
    private readonly string _binDir;
    private readonly string _password;

    private LocalPostgres(string dir, string binDir, int port, string password)
    {
        _dir = dir;
        _binDir = binDir;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    /// <summary>The run's server, started on first use.</summary>
    public static LocalPostgres Shared
    {
        get
        {
            ExternalTools.RequireIntegrationLane("a PostgreSQL server (initdb, pg_ctl)");
            lock (Gate) return _shared ??= Start();
        }
    }

    /// <summary>
    /// A new empty database on the run's server; returns its `postgres://` URL. <paramref name="hint"/> (a fixture
    /// or test name) only makes the name readable in the server log.
    /// </summary>
    public static string CreateDatabase(string hint = "t")
    {
        var server = Shared;
        var clean = new string([.. hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30)]);
        var name = $"{clean}_{Interlocked.Increment(ref _databases)}_{Environment.ProcessId}";
        using (var conn = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            cmd.ExecuteNonQuery();
        }
        return server.Url(name);
    }

    public string Url(string database) => $"postgres://postgres:{Uri.EscapeDataString(_password)}@127.0.0.1:{Port}/{database}";

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Password = _password, Database = database, Pooling = false }.ConnectionString;

    private static LocalPostgres Start()
    {
        var bin = FindBinDir();
        var runAsPostgres = Environment.UserName == "root";
        if (runAsPostgres) ExternalTools.Require("apt-get install util-linux", "runuser", "chown");
        var dir = Directory.CreateTempSubdirectory("shadowmcp-pg-").FullName;
        var password = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        File.WriteAllText(Path.Combine(dir, "pwfile"), password);
        if (runAsPostgres) Run("chown", ["-R", "postgres:postgres", dir], dir, asPostgres: false);
        Run(Path.Combine(bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", "postgres", "--pwfile", Path.Combine(dir, "pwfile"),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--locale=C"], dir, runAsPostgres);
        File.Delete(Path.Combine(dir, "pwfile"));
        // The port is free when chosen; another process may take it before the server binds, so try again then.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var options = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            var log = Path.Combine(dir, "server.log");
            var (code, output) = TryRun(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-l", log, "-o", options, "-w", "-t", "60", "start"], dir, runAsPostgres);
            if (code == 0)
            {
                var server = new LocalPostgres(dir, bin, port, password);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }
            if (attempt == 3)
                Assert.Fail($"pg_ctl start failed ({code}): {output}\n{(File.Exists(log) ? File.ReadAllText(log) : "")}");
        }
    }

    /// <summary>Stops the run's server, if one was started, and removes its folder.</summary>
    public static void StopShared()
    {
        lock (Gate)
        {
            _shared?.Stop();
            _shared = null;
        }
    }

    private int _stopped;

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        TryRun(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], _dir, Environment.UserName == "root");
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (bin is null) ExternalTools.Missing($"PostgreSQL server binaries (initdb, pg_ctl under {root}/*/bin)", "apt-get install postgresql");
        return bin!;
    }

    private static void Run(string program, string[] args, string workDir, bool asPostgres)
    {
        var (code, output) = TryRun(program, args, workDir, asPostgres);
        if (code != 0) Assert.Fail($"{Path.GetFileName(program)} failed ({code}): {output}");
    }

    private static (int Code, string Output) TryRun(string program, string[] args, string workDir, bool asPostgres)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDir,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program }) psi.ArgumentList.Add(a);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        output.Append(process.StandardOutput.ReadToEnd());
        output.Append(stderr.GetAwaiter().GetResult());
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
