using ShadowMcp.Tests;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Tests;

/// <summary>The flow log (docs/flow-log.md) over the real corpus, with tshark's conversations as the oracle.</summary>
[Category("Integration")]
public sealed class FlowLogTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));

    /// <summary>Files with many flows of each kind: several connections, UDP and TCP DNS, TLS, IPv6, h2, gzip.</summary>
    private static IEnumerable<TestCaseData> ManyFlowFiles() => CorpusManifest.Where(e => e.File is "ts-legacy-sse.pcap"
        or "dns-mcp-and-other-names.pcap" or "tls-sni-mixed.pcap" or "cs-ipv6-hybrid.pcap" or "lookalike-ethereum.pcap"
        or "cs-h2-prior-knowledge.pcap" or "cs-gzip-stateless.pcap" or "ts-stateless-any.pcap");

    private static readonly Dictionary<string, List<JsonElement>> Scanned = [];

    private static IEnumerable<TestCaseData> HttpSessions() =>
        CorpusManifest.Where(e => e.IsMcp && e.Transport is not ("dns" or "tls"));

    private static IEnumerable<TestCaseData> LookAlikes() => CorpusManifest.Where(e => !e.IsMcp);

    [TestCaseSource(nameof(ManyFlowFiles))]
    public void FlowLog_EveryConnectionAndDatagramFlow_AppearsExactlyOnce(CorpusManifest.Entry e)
    {
        var flows = Scan(RepoPaths.CorpusPcap(e.File));

        var expected = TsharkConversations(RepoPaths.CorpusPcap(e.File));
        var actual = flows.Select(f => Conversation(f.GetProperty("proto").GetString()!, f.GetProperty("client").GetString()!,
            f.GetProperty("server").GetString()!)).ToList();
        Assert.That(actual, Is.EquivalentTo(expected));
    }

    [TestCaseSource(nameof(HttpSessions))]
    public void FlowLog_McpSession_EveryFlowToTheServerIsMcpWithItsTransportAndEndpoint(CorpusManifest.Entry e)
    {
        var flows = Scan(RepoPaths.CorpusPcap(e.File));
        var server = e.ServerAddress!.Contains(':') ? $"[{e.ServerAddress}]:{e.Port}" : $"{e.ServerAddress}:{e.Port}";
        // Idle keep-alive connections carry no content and are judged "unknown" (they still name the endpoint).
        var toServer = flows.Where(f => f.GetProperty("server").GetString() == server
            && f.GetProperty("bytes").GetProperty("toServer").GetInt64() > 0).ToList();

        Assert.That(toServer, Is.Not.Empty);
        foreach (var flow in toServer)
        {
            var mcp = flow.GetProperty("mcp");
            Assert.Multiple(() =>
            {
                Assert.That(mcp.GetProperty("verdict").GetString(), Is.EqualTo("mcp"));
                Assert.That(mcp.GetProperty("basis").GetString(), Is.EqualTo("plaintext"));
                Assert.That(mcp.GetProperty("transport").GetString(), Is.EqualTo(e.Transport));
                Assert.That(mcp.GetProperty("endpoint").GetString(), Is.EqualTo(new Endpoint(e.ServerAddress, e.Port, null, e.Path).Key));
                Assert.That(mcp.GetProperty("score").GetDouble(), Is.GreaterThanOrEqualTo(0.8));
                Assert.That(flow.GetProperty("http").GetString(), Is.EqualTo(e.File.Contains("h2") ? "h2" : "http/1.1"));
                Assert.That(flow.GetProperty("packets").GetProperty("toServer").GetInt64(), Is.GreaterThan(0));
                Assert.That(flow.GetProperty("bytes").GetProperty("toClient").GetInt64(), Is.GreaterThan(0));
            });
        }
    }

    [TestCaseSource(nameof(LookAlikes))]
    public void FlowLog_LookAlike_EveryFlowIsNotMcp(CorpusManifest.Entry e)
    {
        var flows = Scan(RepoPaths.CorpusPcap(e.File));

        Assert.That(flows, Is.Not.Empty);
        Assert.That(flows.Select(f => f.GetProperty("mcp").GetProperty("verdict").GetString()), Is.All.EqualTo("not-mcp"));
    }

    [Test]
    public void FlowLog_TlsWithoutKeys_NamesOnlyAndUnknownForOtherNames()
    {
        var e = CorpusManifest.Load().Files.Single(f => f.File == "tls-sni-mixed.pcap");
        var flows = Scan(RepoPaths.CorpusPcap(e.File)).ToDictionary(f => f.GetProperty("sni").GetString() ?? "");

        Assert.Multiple(() =>
        {
            Assert.That(flows["mcp.linear.app"].GetProperty("mcp").GetProperty("verdict").GetString(), Is.EqualTo("mcp"));
            Assert.That(flows["mcp.linear.app"].GetProperty("mcp").GetProperty("basis").GetString(), Is.EqualTo("name"));
            Assert.That(flows["mcp.linear.app"].GetProperty("alpn").GetProperty("offered")[0].GetString(), Is.EqualTo("h2"));
            Assert.That(flows["www.example.com"].GetProperty("mcp").GetProperty("verdict").GetString(), Is.EqualTo("unknown"));
            Assert.That(flows["www.example.com"].GetProperty("mcp").GetProperty("basis").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    private static List<JsonElement> Scan(string file)
    {
        lock (Scanned)
        {
            if (!Scanned.TryGetValue(file, out var flows)) Scanned[file] = flows = ScanOnce(file);
            return flows;
        }
    }

    private static List<JsonElement> ScanOnce(string file)
    {
        var output = new MemoryStream();
        using (var log = FlowLog.Create(output))
        {
            var classifier = McpClassifier.Create(Shipped.Value.Rules, new ClassifierOptions());
            var report = new ScanRunner(classifier, store: null, NullLogger.Instance) { FlowLog = log }.Run([file]);
            Assert.That(report.Errors, Is.Empty);
        }
        var text = System.Text.Encoding.UTF8.GetString(output.ToArray());
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    /// <summary>"proto a b" with the two ends sorted, so the direction does not matter.</summary>
    private static string Conversation(string proto, string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? $"{proto} {a} {b}" : $"{proto} {b} {a}";

    /// <summary>One entry per TCP stream and per UDP conversation, as tshark numbers them.</summary>
    private static List<string> TsharkConversations(string file)
    {
        ExternalTools.Require("apt-get install tshark", "tshark");
        var start = new ProcessStartInfo("tshark", ["-r", file, "-T", "fields", "-E", "separator=|", "-e", "tcp.stream", "-e", "udp.stream",
            "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.srcport", "-e", "udp.srcport",
            "-e", "tcp.dstport", "-e", "udp.dstport"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var tshark = Process.Start(start)!;
        var lines = tshark.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        tshark.WaitForExit();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var f = line.Split('|');
            bool tcp = f[0].Length > 0;
            if (!tcp && f[1].Length == 0) continue;
            var key = tcp ? "tcp" + f[0] : "udp" + f[1].Split(',')[0];
            if (seen.ContainsKey(key)) continue;
            string src = f[2].Length > 0 ? f[2] : f[3], dst = f[4].Length > 0 ? f[4] : f[5];
            string sport = tcp ? f[6] : f[7], dport = tcp ? f[8] : f[9];
            seen[key] = Conversation(tcp ? "tcp" : "udp", Format(src, sport), Format(dst, dport));
        }
        return [.. seen.Values];
    }

    private static string Format(string address, string port) => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
}
