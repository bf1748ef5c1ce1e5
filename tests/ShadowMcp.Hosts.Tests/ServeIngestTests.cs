using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Tests;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// `host scan --report-to` into a real `shadowmcp serve`: the inventory lands in the store with serve's verdicts,
/// once per scan however often it is posted, without a secret's value anywhere in the database; wrong tokens,
/// the admin token and oversized bodies are refused and audited.
/// </summary>
[Category("Integration")]
public sealed class ServeIngestTests
{
    private const string IngestToken = "host-ingest-token-0123456789abcdef";
    private const string AdminToken = "serve-admin-token-0123456789abcdef";

    [Test]
    public async Task HostScanReportTo_IsStoredOnce_WithServeVerdicts_AndRefusalsAreAudited()
    {
        using var home = new FakeHome(HostOs.Linux);
        var db = Path.Combine(home.Root, "serve.db");
        var serveConfig = Path.Combine(home.Root, "serve-shadowmcp.json");
        File.WriteAllText(serveConfig, """{ "sanctioned": [ { "package": "npm:@modelcontextprotocol/server-github", "reason": "approved by security" } ] }""");
        var tokenFile = Path.Combine(home.Root, "token");
        File.WriteAllText(tokenFile, IngestToken + "\n");
        var port = FreePort();
        using var serve = StartServe(port, db, serveConfig, home.Root, out var output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.That(await WaitFor(async () => await Healthy(http)), Is.True, () => "serve did not come up: " + Output(output));

            var r = CliProcess.Run("host", "scan", "--home", home.Home, "--os", "linux", "--system-root", home.System,
                "--project", home.Project, "--config", home.EmptyConfig(), "-f", "json",
                "--report-to", $"http://127.0.0.1:{port}", "--token-file", tokenFile);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("201"));

            Assert.That(Scalar(db, "select count(*) from host_scans where HostName is not null"), Is.EqualTo(1));
            Assert.That(Scalar(db, "select count(*) from host_servers"), Is.EqualTo(home.Servers.Count));
            Assert.That(Scalar(db, "select count(*) from host_secrets"), Is.EqualTo(home.Secrets.Count));
            Assert.That(Scalar(db, "select count(*) from host_servers where Name = 'cc-github' and Verdict = 'sanctioned'"), Is.EqualTo(1),
                "serve's settings sanction the package, whatever the host's settings said");
            Assert.That(Scalar(db, "select count(*) from host_servers where Name = 'lm-hf' and Verdict = 'shadow'"), Is.EqualTo(1));

            using (var request = new HttpRequestMessage(HttpMethod.Get, "/admin/hosts"))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                var page = await http.SendAsync(request);
                var html = await page.Content.ReadAsStringAsync();
                Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(html, Does.Contain(Environment.MachineName).And.Contain("cc-github").And.Contain("npm:@modelcontextprotocol/server-github")
                    .And.Contain("GitHub token").And.Contain("Claude Desktop"), "the admin UI's hosts page");
                foreach (var secret in PlantedSecrets.All) Assert.That(html, Does.Not.Contain(secret));
            }
            using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress })
                Assert.That((int)(await anonymous.GetAsync("/admin/hosts")).StatusCode, Is.EqualTo(302).Or.EqualTo(401), "the hosts page needs the admin");

            // The same document again (a retry): kept once.
            var again = await Post(http, r.Stdout, IngestToken);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("duplicate"));
            Assert.That(Scalar(db, "select count(*) from host_servers"), Is.EqualTo(home.Servers.Count));

            Assert.That((await Post(http, r.Stdout, "wrong-token-wrong-token-wrong")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await Post(http, r.Stdout, AdminToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the admin token is another kind");
            Assert.That((await Post(http, r.Stdout, null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            var big = "{\"hostName\":\"x\",\"scanId\":\"y\",\"pad\":\"" + new string('a', 3 << 20) + "\"}";
            Assert.That((await Post(http, big, IngestToken)).StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That((await Post(http, "{\"hostName\": 5", IngestToken)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

            var outcomes = Column(db, "select Outcome from host_ingest_audit order by Id");
            Assert.That(outcomes, Is.EqualTo(new[] { "stored", "duplicate", "unauthorized", "unauthorized", "unauthorized", "too-large", "invalid" }));

            SqliteConnection.ClearAllPools();
            var bytes = string.Concat(Directory.EnumerateFiles(home.Root, "serve.db*").Select(f => Encoding.UTF8.GetString(ReadShared(f))));
            foreach (var secret in PlantedSecrets.All) Assert.That(bytes, Does.Not.Contain(secret), "no secret value in any store file");
            Assert.That(Output(output), Does.Not.Contain(PlantedSecrets.GitHub).And.Not.Contain(IngestToken), "nor in serve's log");
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            serve.WaitForExit(10_000);
            SqliteConnection.ClearAllPools();
        }
    }

    internal static Process StartServe(int port, string db, string config, string dir, out List<string> output)
    {
        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { RepoPaths.CliDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--db", db, "--config", config })
            psi.ArgumentList.Add(a);
        psi.Environment["SHADOWMCP_Hosts__IngestTokens__0"] = IngestToken;
        psi.Environment["SHADOWMCP_Admin__AdminToken"] = AdminToken;
        psi.Environment["SHADOWMCP_Reports__CatchUpOnStart"] = "false";
        psi.Environment.Remove("SHADOWMCP_CONFIG");
        var serve = Process.Start(psi)!;
        var lines = new List<string>();
        serve.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        output = lines;
        return serve;
    }

    internal static string Output(List<string> output)
    {
        lock (output) return string.Join("\n", output);
    }

    private static byte[] ReadShared(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hosts/inventory") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    internal static long Scalar(string db, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static List<string> Column(string db, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(reader.GetString(0));
        return list;
    }

    internal static async Task<bool> Healthy(HttpClient http)
    {
        try { return (await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK; }
        catch (HttpRequestException) { return false; }
    }

    internal static async Task<bool> WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(200);
        }
        return false;
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
