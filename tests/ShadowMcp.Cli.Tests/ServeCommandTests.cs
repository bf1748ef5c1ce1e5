using System.Net;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests;

/// <summary>`shadowmcp serve`: one process with the sensor over a watched directory, the admin UI and health.</summary>
[Category("Integration")]
public sealed class ServeCommandTests
{
    [Test]
    public async Task Serve_CaptureDroppedIntoWatchedDirectory_IsScannedIntoTheStore()
    {
        using var serve = ServeProcess.Start(["--watch", "{dir}/incoming"], _ => new()
        {
            ["SHADOWMCP_Sensor__PollSeconds"] = "1", // environment overrides the defaults
        });
        var (watch, db, port) = (Path.Combine(serve.Dir, "incoming"), serve.Db, serve.Port);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.That(await WaitFor(async () => (await TryGet(http, "/healthz")) == HttpStatusCode.OK), Is.True,
            () => "serve did not come up: " + serve.Output);

        var admin = await http.GetAsync("/admin/findings");
        Assert.That((int)admin.StatusCode, Is.EqualTo(302).Or.EqualTo(401), "the admin UI must not be open without the token");

        Directory.CreateDirectory(watch);
        File.Copy(RepoPaths.CorpusPcap("cs-stateful-2025-06-18.pcap"), Path.Combine(watch, "drop.pcap"));
        Assert.That(await WaitFor(() => Task.FromResult(ShadowFindings(db) > 0)), Is.True,
            () => "the dropped capture was not scanned: " + serve.Output);
    }

    [Test]
    public async Task Serve_RunningThePortal_RestartsUnderServerGc_AsTheSameProcess()
    {
        var configDir = Directory.CreateTempSubdirectory("shadowmcp-serve-portal-").FullName;
        try
        {
            var portalConfig = Path.Combine(configDir, "portal.json");
            File.WriteAllText(portalConfig, $$"""
                { "portal": { "audit": { "keyFile": "{{configDir}}/audit.key", "signingKeyFile": "{{configDir}}/checkpoint.key" } },
                  "groups": {} }
                """);
            using var serve = ServeProcess.Start(["--portal-urls", "http://127.0.0.1:0"], _ => new() { ["SHADOWMCP_Portal__Config"] = portalConfig });

            // execve, not a child process: the PID systemd (or the operator) started now runs with server GC.
            Assert.That(await ServesAndSays(serve, "DOTNET_gcServer=1"), Is.True, serve.Output);
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }
    }

    [Test]
    public async Task Serve_WithoutThePortal_KeepsTheSensorsWorkstationGc()
    {
        using var serve = ServeProcess.Start([], _ => []);

        Assert.That(await ServesAndSays(serve, "DOTNET_gcServer=1"), Is.False, serve.Output);
    }

    /// <summary>Whether serve, once it answers /healthz, has <paramref name="variable"/> in its environment.</summary>
    private static async Task<bool> ServesAndSays(ServeProcess serve, string variable)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{serve.Port}") };
        Assert.That(await WaitFor(async () => (await TryGet(http, "/healthz")) == HttpStatusCode.OK), Is.True,
            () => "serve did not come up: " + serve.Output);
        return File.ReadAllText($"/proc/{serve.Pid}/environ").Split('\0').Contains(variable);
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
}
