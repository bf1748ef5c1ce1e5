using System.Buffers.Binary;
using System.Text;
using PcapSynth;

// Writes a deterministic mixed capture for benchmarks: bulk HTTP downloads, TLS sessions, DNS, MCP Streamable
// HTTP sessions and JSON-RPC look-alikes, interleaved the way a SPAN port sees them. No traffic is sent anywhere:
// the addresses exist only inside the file. The "mcp-dense" mix makes most flows MCP sessions and JSON-RPC
// look-alikes (a segment in front of MCP servers), where classification, not decoding, sets the pace. The
// "mcp-many" mix is MCP sessions only, each to a server of its own (10.1.0.0/16 upward): one finding per session,
// for measuring how fast findings reach a store. The "tls-one-client" mix is TLS connections only, all from one
// client to one server (a NAT or proxy, or a flood): one shape session of tens of thousands of flows.
if (args.Length < 2 || (args.Length > 2 && args[2] is not ("mixed" or "mcp-dense" or "mcp-many" or "tls-one-client")))
{
    Console.Error.WriteLine("usage: PcapSynth OUT.pcap PACKETS [mixed|mcp-dense|mcp-many|tls-one-client]");
    return 2;
}
var target = long.Parse(args[1]);
var dense = args.Length > 2 && args[2] == "mcp-dense";
var many = args.Length > 2 && args[2] == "mcp-many";
var oneClient = args.Length > 2 && args[2] == "tls-one-client";
uint servers = 0;
var rng = new Random(42);
using var w = new PcapWriter(args[0]);
long now = 1_763_632_800_000_000L; // 2025-11-20T10:00:00Z in µs
var live = new List<Conversation>();
int nextPort = 20000;
uint clientBase = 0x0A000100; // 10.0.1.0
while (w.Packets < target)
{
    while (live.Count < 64)
    {
        var client = clientBase + (uint)rng.Next(1, 250);
        var port = (ushort)(nextPort = nextPort >= 65000 ? 20000 : nextPort + 1);
        live.Add(oneClient ? Scenarios.TlsFrom(rng, clientBase + 7, port)
            : many ? Scenarios.McpTo(rng, client, port, 0x0A010000u + ++servers)
            : dense ? Scenarios.PickMcpDense(rng, client, port) : Scenarios.Pick(rng, client, port));
    }
    var i = rng.Next(live.Count);
    now += rng.Next(5, 60);
    if (!live[i].Step(w, now)) live.RemoveAt(i);
}
Console.WriteLine($"{w.Packets} packets written to {args[0]}");
return 0;

namespace PcapSynth
{
    /// <summary>A scripted exchange emitted one packet per Step.</summary>
    internal sealed class Conversation(uint client, ushort cport, uint server, ushort sport, List<(bool FromClient, byte[] Data)> script, bool udp = false)
    {
        private uint _cseq = 1000, _sseq = 5000;
        private int _phase, _item, _offset;

        public bool Step(PcapWriter w, long t)
        {
            if (udp)
            {
                if (_item >= script.Count) return false;
                var (fc, d) = script[_item++];
                if (fc) w.Udp(t, client, cport, server, sport, d); else w.Udp(t, server, sport, client, cport, d);
                return _item < script.Count;
            }
            switch (_phase)
            {
                case 0: w.Tcp(t, client, cport, server, sport, _cseq++, 0, 0x02, default); _phase++; return true;
                case 1: w.Tcp(t, server, sport, client, cport, _sseq++, _cseq, 0x12, default); _phase++; return true;
                case 2: w.Tcp(t, client, cport, server, sport, _cseq, _sseq, 0x10, default); _phase++; return true;
                case 3:
                    if (_item >= script.Count) { _phase++; goto case 4; }
                    var (fromClient, data) = script[_item];
                    var n = Math.Min(1448, data.Length - _offset);
                    var seg = data.AsSpan(_offset, n);
                    if (fromClient) { w.Tcp(t, client, cport, server, sport, _cseq, _sseq, 0x18, seg); _cseq += (uint)n; }
                    else { w.Tcp(t, server, sport, client, cport, _sseq, _cseq, 0x18, seg); _sseq += (uint)n; }
                    _offset += n;
                    if (_offset >= data.Length) { _item++; _offset = 0; }
                    return true;
                case 4: w.Tcp(t, client, cport, server, sport, _cseq++, _sseq, 0x11, default); _phase++; return true;
                default: w.Tcp(t, server, sport, client, cport, _sseq++, _cseq, 0x11, default); return false;
            }
        }
    }

    internal static class Scenarios
    {
        private static readonly string[] TlsNames = ["www.example.com", "cdn.example.net", "api.github.com", "mcp.notion.com", "login.example.org", "mcp.linear.app"];
        private static readonly string[] DnsNames = ["www.example.com", "mail.example.org", "mcp.atlassian.com", "updates.example.net", "mcp.stripe.com"];

        public static Conversation Pick(Random rng, uint client, ushort port)
        {
            var roll = rng.Next(100);
            return roll switch
            {
                < 30 => Download(rng, client, port),
                < 55 => Tls(rng, client, port),
                < 85 => Dns(rng, client, port),
                < 95 => Mcp(rng, client, port),
                _ => LookAlike(client, port),
            };
        }

        /// <summary>Three in four flows are MCP sessions or JSON-RPC look-alikes; the rest DNS, TLS and small downloads.</summary>
        public static Conversation PickMcpDense(Random rng, uint client, ushort port)
        {
            var roll = rng.Next(100);
            return roll switch
            {
                < 5 => Download(rng, client, port),
                < 15 => Tls(rng, client, port),
                < 25 => Dns(rng, client, port),
                < 70 => Mcp(rng, client, port),
                _ => LookAlike(client, port),
            };
        }

        private static byte[] A(string s) => Encoding.ASCII.GetBytes(s);

        private static Conversation Download(Random rng, uint client, ushort port)
        {
            var size = rng.Next(4, 48) * 1024;
            var body = new byte[size];
            rng.NextBytes(body);
            var head = A($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n");
            return new Conversation(client, port, 0x0A000010, 80, [
                (true, A($"GET /assets/{rng.Next(1000)}.bin HTTP/1.1\r\nHost: static.example.com\r\nUser-Agent: curl/8.5\r\nAccept: */*\r\n\r\n")),
                (false, [.. head, .. body]),
            ]);
        }

        /// <summary>A TLS connection to the one server of the "tls-one-client" mix.</summary>
        public static Conversation TlsFrom(Random rng, uint client, ushort port) => Tls(rng, client, port);

        private static Conversation Tls(Random rng, uint client, ushort port)
        {
            var name = TlsNames[rng.Next(TlsNames.Length)];
            var script = new List<(bool, byte[])> { (true, ClientHello(name)), (false, Record(0x16, 1200, rng)) };
            var records = rng.Next(10, 60);
            for (int i = 0; i < records; i++) script.Add((i % 8 == 0, Record(0x17, i % 8 == 0 ? 120 : rng.Next(200, 1400), rng)));
            return new Conversation(client, port, 0x0A000020, 443, script);
        }

        private static byte[] Record(byte type, int len, Random rng)
        {
            var r = new byte[5 + len];
            r[0] = type; r[1] = 3; r[2] = 3;
            BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(3), (ushort)len);
            rng.NextBytes(r.AsSpan(5));
            return r;
        }

        private static byte[] ClientHello(string sni)
        {
            var name = Encoding.ASCII.GetBytes(sni);
            var ext = new List<byte>();
            void U16(List<byte> l, int v) { l.Add((byte)(v >> 8)); l.Add((byte)v); }
            U16(ext, 0); U16(ext, name.Length + 5); U16(ext, name.Length + 3); ext.Add(0); U16(ext, name.Length); ext.AddRange(name);
            U16(ext, 16); U16(ext, 14); U16(ext, 12); ext.Add(2); ext.AddRange("h2"u8.ToArray()); ext.Add(8); ext.AddRange("http/1.1"u8.ToArray());
            var body = new List<byte> { 3, 3 };
            body.AddRange(new byte[32]); body.Add(0);
            U16(body, 2); U16(body, 0x1301); body.Add(1); body.Add(0);
            U16(body, ext.Count); body.AddRange(ext);
            var hs = new List<byte> { 1, 0 }; U16(hs, body.Count); hs.AddRange(body);
            var rec = new List<byte> { 0x16, 3, 1 }; U16(rec, hs.Count); rec.AddRange(hs);
            return [.. rec];
        }

        private static Conversation Dns(Random rng, uint client, ushort port)
        {
            var name = DnsNames[rng.Next(DnsNames.Length)];
            var id = (ushort)rng.Next(65536);
            var q = new List<byte>(); void U16(int v) { q.Add((byte)(v >> 8)); q.Add((byte)v); }
            U16(id); U16(0x0100); U16(1); U16(0); U16(0); U16(0);
            foreach (var label in name.Split('.')) { q.Add((byte)label.Length); q.AddRange(Encoding.ASCII.GetBytes(label)); }
            q.Add(0); U16(1); U16(1);
            var query = q.ToArray();
            var r = new List<byte>(query);
            r[2] = 0x81; r[3] = 0x80; r[7] = 1;
            r.AddRange(new byte[] { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, (byte)rng.Next(1, 250) });
            return new Conversation(client, port, 0x0A000035, 53, [(true, query), (false, [.. r])], udp: true);
        }

        private static Conversation Mcp(Random rng, uint client, ushort port) => McpTo(rng, client, port, 0x0A000005);

        /// <summary>An MCP Streamable HTTP session with the server at <paramref name="server"/>:8123.</summary>
        public static Conversation McpTo(Random rng, uint client, ushort port, uint server)
        {
            const string session = "6f1c2a77d0b94d4c9c1f0c7a5e2b9d11";
            var host = $"{server >> 24}.{(server >> 16) & 255}.{(server >> 8) & 255}.{server & 255}:8123";
            string Post(string body, bool withSession) =>
                $"POST /mcp HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n" +
                (withSession ? $"Mcp-Session-Id: {session}\r\nMCP-Protocol-Version: 2025-06-18\r\n" : "") +
                $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
            string Sse(string json, bool withSession) =>
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n" +
                (withSession ? $"Mcp-Session-Id: {session}\r\n" : "") + "\r\n" + Chunk($"event: message\ndata: {json}\n\n") + "0\r\n\r\n";
            var tools = string.Join(",", Enumerable.Range(0, 8).Select(i => $"{{\"name\":\"tool_{i}\",\"description\":\"Does thing {i}\",\"inputSchema\":{{\"type\":\"object\",\"properties\":{{\"q\":{{\"type\":\"string\"}}}}}}}}"));
            return new Conversation(client, port, server, 8123, [
                (true, A(Post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench-client\",\"version\":\"1.0\"}}}", false))),
                (false, A(Sse("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{\"listChanged\":true}},\"serverInfo\":{\"name\":\"bench-server\",\"version\":\"2.1.0\"}}}", true))),
                (true, A(Post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", true))),
                (false, A($"HTTP/1.1 202 Accepted\r\nMcp-Session-Id: {session}\r\nContent-Length: 0\r\n\r\n")),
                (true, A(Post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}", true))),
                (false, A(Sse($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{{\"tools\":[{tools}]}}}}", true))),
                (true, A(Post($"{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{{\"name\":\"tool_{rng.Next(8)}\",\"arguments\":{{\"q\":\"x\"}}}}}}", true))),
                (false, A(Sse("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"isError\":false}}", true))),
            ]);
        }

        private static string Chunk(string s) => $"{Encoding.UTF8.GetByteCount(s):x}\r\n{s}\r\n";

        private static Conversation LookAlike(uint client, ushort port)
        {
            const string body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}";
            const string result = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x10d4f\"}";
            return new Conversation(client, port, 0x0A000008, 8545, [
                (true, A($"POST / HTTP/1.1\r\nHost: node.example.com:8545\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}")),
                (false, A($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {result.Length}\r\n\r\n{result}")),
            ]);
        }
    }
}
