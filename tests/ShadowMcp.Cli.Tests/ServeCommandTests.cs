using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests;

/// <summary>`shadowmcp serve`: one process with the sensor over a watched directory, the admin UI and health.</summary>
[Category("Integration")]
public sealed class ServeCommandTests
{
    [Test]
    public async Task Serve_CaptureDroppedIntoWatchedDirectory_IsScannedIntoTheStore()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-serve-").FullName;
        var watch = Path.Combine(dir, "incoming");
        var db = Path.Combine(dir, "serve.db");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { RepoPaths.CliDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--watch", watch, "--db", db })
            psi.ArgumentList.Add(a);
        psi.Environment["SHADOWMCP_Sensor__PollSeconds"] = "1";               // environment overrides the defaults
        psi.Environment["SHADOWMCP_Admin__AdminToken"] = "serve-test-admin-token-0123456789";
        psi.Environment["SHADOWMCP_Reports__CatchUpOnStart"] = "false";
        using var serve = Process.Start(psi)!;
        var output = new List<string>();
        serve.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.That(await WaitFor(async () => (await TryGet(http, "/healthz")) == HttpStatusCode.OK), Is.True,
                () => "serve did not come up: " + string.Join("\n", output));

            var admin = await http.GetAsync("/admin/findings");
            Assert.That((int)admin.StatusCode, Is.EqualTo(302).Or.EqualTo(401), "the admin UI must not be open without the token");

            Directory.CreateDirectory(watch);
            File.Copy(RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap"), Path.Combine(watch, "drop.pcap"));
            Assert.That(await WaitFor(() => Task.FromResult(ShadowFindings(db) > 0)), Is.True,
                () => "the dropped capture was not scanned: " + string.Join("\n", output));
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            serve.WaitForExit(10_000);
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long ShadowFindings(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "select count(*) from findings where Verdict = 'shadow' and Port = 18103";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // not migrated yet
        }
    }

    private static async Task<HttpStatusCode?> TryGet(HttpClient http, string path)
    {
        try { return (await http.GetAsync(path)).StatusCode; }
        catch (HttpRequestException) { return null; }
    }

    private static async Task<bool> WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(250);
        }
        return false;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
