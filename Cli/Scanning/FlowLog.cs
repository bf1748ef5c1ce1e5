using System.Text.Encodings.Web;
using System.Text.Json;
using ShadowMcp.Core.Findings;
using ShadowMcp.Scanner.Flows;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// Writes docs/flow-log.md: one JSON object per line per flow, Zeek conn.log/ssl.log style, with the MCP verdict
/// taken from the findings. Flows are resolved when their file (or a live flush) ends, so the verdict reflects
/// everything seen in the capture.
/// </summary>
public sealed class FlowLog : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly List<FlowRecord> _pending = [];

    private FlowLog(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be created.</exception>
    public static FlowLog Create(string path) => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));

    public static FlowLog Create(Stream stream) => new(stream);

    /// <summary>Flows written so far.</summary>
    public long Written { get; private set; }

    /// <summary>Queues a finished flow until <see cref="Resolve"/>.</summary>
    public void Add(FlowRecord flow) => _pending.Add(flow);

    /// <summary>
    /// Writes every queued flow with its verdict from <paramref name="findings"/>, except those
    /// <paramref name="holdBack"/> keeps for a later call (live: a TLS flow whose shape score is not given yet).
    /// </summary>
    public void Resolve(IReadOnlyList<Finding> findings,
        (IReadOnlyDictionary<string, double> Scores, double Threshold)? shape = null, Func<FlowRecord, bool>? holdBack = null)
    {
        foreach (var flow in _pending)
        {
            if (holdBack is null || !holdBack(flow)) Write(flow, FlowVerdict.For(flow, findings, shape));
        }
        if (holdBack is null) _pending.Clear();
        else _pending.RemoveAll(f => !holdBack(f));
        _json.Flush();
        _stream.Flush();
    }

    private void Write(FlowRecord flow, FlowVerdict verdict)
    {
        var facts = flow.Facts;
        var j = _json;
        j.WriteStartObject();
        j.WriteString("client", FlowRecord.Format(flow.ClientAddress, flow.ClientPort));
        j.WriteString("server", FlowRecord.Format(flow.ServerAddress, flow.ServerPort));
        j.WriteString("proto", flow.Summary.Protocol);
        j.WriteString("start", flow.Summary.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        j.WriteString("end", flow.Summary.End.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        j.WriteStartObject("packets");
        j.WriteNumber("toServer", flow.PacketsToServer);
        j.WriteNumber("toClient", flow.PacketsToClient);
        j.WriteEndObject();
        j.WriteStartObject("bytes");
        j.WriteNumber("toServer", flow.BytesToServer);
        j.WriteNumber("toClient", flow.BytesToClient);
        j.WriteEndObject();
        NullableString("sni", facts.Sni);
        j.WriteStartObject("alpn");
        j.WriteStartArray("offered");
        foreach (var alpn in facts.AlpnOffered) j.WriteStringValue(alpn);
        j.WriteEndArray();
        NullableString("chosen", facts.AlpnChosen);
        j.WriteEndObject();
        NullableString("tlsVersion", facts.TlsVersion);
        NullableString("ja4", facts.Ja4);
        NullableString("ja4s", facts.Ja4s);
        NullableString("http", facts.Http);
        j.WriteStartObject("mcp");
        j.WriteString("verdict", verdict.Verdict);
        if (verdict.Score is { } score) j.WriteNumber("score", score);
        else j.WriteNull("score");
        NullableString("basis", verdict.Basis);
        NullableString("transport", verdict.Transport);
        NullableString("endpoint", verdict.Endpoint);
        j.WriteEndObject();
        j.WriteEndObject();
        j.Flush();
        // Each line is its own JSON document: no separator carried over to the next one.
        j.Reset(_stream);
        _stream.WriteByte((byte)'\n');
        Written++;
    }

    private void NullableString(string name, string? value)
    {
        if (value is null) _json.WriteNull(name);
        else _json.WriteString(name, value);
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
