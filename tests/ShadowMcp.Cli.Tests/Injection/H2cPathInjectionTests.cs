using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests.Injection;

/// <summary>
/// The HTTP/2 route of a hostile path, end to end: an h2c (prior knowledge) MCP session whose <c>:path</c> carries a
/// line break and a Squid directive after it, written to a pcap, scanned by the real <c>shadowmcp scan</c> into a
/// store and planned by the real <c>shadowmcp enforce plan</c> with a Squid backend. HTTP/1.1 cannot carry the break
/// (its parser refuses the request line); HPACK carries any octet. The scan keeps the path as the wire had it; the
/// plan must give it no Squid line.
/// </summary>
[Category("Integration")]
public sealed class H2cPathInjectionTests
{
    private const string Client = "10.0.0.7";
    private const string Server = "10.0.0.9";
    private const string CleanServer = "10.0.0.10";
    private const ushort Port = 8080;
    private const string Injected = "http_access allow all";

    private string _dir = "";
    private string Db => Path.Combine(_dir, "store.db");

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-inject-h2c-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void H2cPathWithALineBreak_ThroughScanAndPlan_GetsNoSquidLine()
    {
        var hostilePath = "/mcp\n" + Injected;
        var pcap = Path.Combine(_dir, "h2c.pcap");
        WriteCapture(pcap, Server, hostilePath);
        // The control: the same session with a clean path on another server gets its Squid host-path entry, so the
        // route from the pcap to Squid carries paths, and only the break keeps the hostile one out.
        var clean = Path.Combine(_dir, "h2c-clean.pcap");
        WriteCapture(clean, CleanServer, "/mcp/ok");

        var scan = CliProcess.Run("scan", pcap, clean, "--db", Db, "--format", "json");
        Assert.That(scan.ExitCode, Is.Zero, scan.Stderr);
        using (var conn = new SqliteConnection($"Data Source={Db};Mode=ReadOnly;Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "select Path from findings where Address = $a";
            cmd.Parameters.AddWithValue("$a", Server);
            Assert.That(cmd.ExecuteScalar(), Is.EqualTo(hostilePath), "the h2c session was found, with the wire's :path: " + scan.Stdout);
        }

        var policy = Path.Combine(_dir, "enforce.yaml");
        var squid = Path.Combine(_dir, "squid.conf");
        File.WriteAllText(policy, $"version: 1\nselect:\n  verdicts: [shadow, suspected]\nbackends:\n  - type: squid\n    path: {squid}\n");
        var plan = CliProcess.Run("enforce", "plan", "--policy", policy, "--db", Db, "--format", "json");

        Assert.That(plan.ExitCode, Is.Zero, plan.Stderr + plan.Stdout);
        using var doc = JsonDocument.Parse(plan.Stdout);
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entry").GetRawText()).ToList();
        Assert.That(entries, Has.Some.Contain($"addr:{Server}:{Port}"), "the server is still blocked (by address and port)");
        Assert.That(entries, Has.None.Contain(Injected), "the path with the break is in no planned entry: " + plan.Stdout);
        var squidEntries = doc.RootElement.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "squid")
            .GetProperty("desired").GetRawText();
        Assert.That(squidEntries, Does.Not.Contain(Injected), "nor in Squid's");
        Assert.That(squidEntries, Does.Contain("\"/mcp/ok\""), "the clean path is a Squid entry: " + squidEntries);
        var text = CliProcess.Run("enforce", "plan", "--policy", policy, "--db", Db);
        Assert.That(text.ExitCode, Is.Zero, text.Stderr);
        Assert.That(text.Stdout.Split('\n').Select(l => l.Trim()), Has.None.EqualTo(Injected), "no line of its own: " + text.Stdout);
        Assert.That(File.Exists(squid), Is.False, "plan writes nothing");
    }

    /// <summary>One h2c stream: preface, SETTINGS, HEADERS and DATA (initialize); the answer's SETTINGS, HEADERS, DATA.</summary>
    private static void WriteCapture(string path, string server, string requestPath)
    {
        var initialize = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 0, method = "initialize",
            @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "claude-code", version = "2.1" } },
        });
        var result = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 0,
            result = new { protocolVersion = "2025-06-18", capabilities = new { tools = new { } }, serverInfo = new { name = "notes-server", version = "0.3" } },
        });
        byte[] request =
        [
            .. Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
            .. Frame(0x4, 0, 0, []),
            .. Frame(0x1, 0x4, 1, Block((":method", "POST"), (":scheme", "http"), (":authority", "mcp.rogue.test"), (":path", requestPath),
                ("content-type", "application/json"), ("accept", "application/json, text/event-stream"))),
            .. Frame(0x0, 0x1, 1, Encoding.UTF8.GetBytes(initialize)),
        ];
        byte[] response =
        [
            .. Frame(0x4, 0, 0, []),
            .. Frame(0x4, 0x1, 0, []),
            .. Frame(0x1, 0x4, 1, Block((":status", "200"), ("content-type", "application/json"), ("mcp-session-id", "9f1c"))),
            .. Frame(0x0, 0x1, 1, Encoding.UTF8.GetBytes(result)),
        ];
        using var output = File.Create(path);
        ClassicPcap.Header(output);
        var time = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        ClassicPcap.TcpExchange(output, ref time, Client, 40_000, server, Port, request, response);
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
    [
        (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags,
        (byte)(stream >> 24), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream, .. payload,
    ];

    /// <summary>HPACK literal fields without indexing, new name, no Huffman (RFC 7541 6.2.2, 5.1, 5.2).</summary>
    private static byte[] Block(params (string Name, string Value)[] fields)
    {
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0x00);
            String(block, name);
            String(block, value);
        }
        return [.. block];
    }

    private static void String(List<byte> block, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // A 7-bit prefix integer: lengths of 127 and more continue in 7-bit groups.
        if (bytes.Length < 127) block.Add((byte)bytes.Length);
        else
        {
            block.Add(127);
            var rest = bytes.Length - 127;
            while (rest >= 128)
            {
                block.Add((byte)(rest % 128 + 128));
                rest /= 128;
            }
            block.Add((byte)rest);
        }
        block.AddRange(bytes);
    }
}
