using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ShadowMcp.Cli.Configuration;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// Splunk HTTP Event Collector: one `POST /services/collector/event` per batch, `Authorization: Splunk TOKEN`, the
/// body the batch's events as HEC event objects one after another. Acknowledged by 200 with `{"code":0}`. A busy or
/// failing collector (429, 5xx, a dropped connection, a timeout) is retried; a rejected token or rejected data (other
/// 4xx) is not, since sending again cannot help. The token is never part of a message.
/// </summary>
internal sealed class HecSink : ISiemSink
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _token;
    private readonly string _hostname = Dns.GetHostName();

    public HecSink(Uri collector, string token, string? caFile, TimeSpan timeout)
    {
        _endpoint = collector.AbsolutePath.TrimEnd('/').EndsWith("/services/collector/event", StringComparison.Ordinal)
            ? collector
            : new Uri(collector, "/services/collector/event");
        _token = token;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (collector.Scheme == Uri.UriSchemeHttps) handler.SslOptions = SinkTls.ClientOptions(collector.IdnHost, caFile);
        _http = new HttpClient(handler) { Timeout = timeout };
        Display = $"hec {_endpoint.GetLeftPart(UriPartial.Path)}";
    }

    public string Display { get; }

    public async Task SendAsync(IReadOnlyList<SiemEvent> batch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(Body(batch)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Splunk", _token);
        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, cancellationToken); }
        catch (HttpRequestException e) { throw new SiemSinkException($"{Display}: {e.Message}", inner: e); }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SiemSinkException($"{Display}: no answer within {_http.Timeout.TotalSeconds:0} s", inner: e);
        }
        using (response)
        {
            string text;
            try { text = await response.Content.ReadAsStringAsync(cancellationToken); }
            catch (HttpRequestException e) { throw new SiemSinkException($"{Display}: {e.Message}", inner: e); }
            var (code, said) = Parse(text);
            if (response.StatusCode == HttpStatusCode.OK && code == 0) return;
            var status = (int)response.StatusCode;
            var retryable = status is 429 or >= 500 || (status == 200 && code != 0);
            throw new SiemSinkException($"{Display}: HTTP {status}: {said ?? "no HEC answer"} (code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"})", retryable);
        }
    }

    /// <summary>HEC's batch form: event objects back to back, each carrying the OCSF event and its time in seconds.</summary>
    private byte[] Body(IReadOnlyList<SiemEvent> batch)
    {
        using var stream = new MemoryStream(batch.Count * 1200);
        foreach (var e in batch)
        {
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteNumber("time", e.Time.ToUnixTimeMilliseconds() / 1000.0);
                w.WriteString("host", _hostname);
                w.WriteString("source", "shadowmcp");
                w.WriteString("sourcetype", "ocsf");
                w.WritePropertyName("event");
                w.WriteRawValue(e.Json, skipInputValidation: true);
                w.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }

    private static (int? Code, string? Text) Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            int? code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
            string? text = root.TryGetProperty("text", out var t) ? t.GetString() : null;
            return (code, text);
        }
        catch (JsonException) { return (null, null); }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The token from `--hec-token-file` or $SHADOWMCP_HEC_TOKEN (never from the command line, where `ps` shows it).</summary>
    /// <exception cref="SiemSinkSettingsException">Neither gives a token.</exception>
    public static string Token(string? tokenFile) =>
        TokenSource.Read(null, tokenFile, "--hec-token-file", TokenVariable, out var unreadable)
        ?? throw new SiemSinkSettingsException(unreadable
            ?? $"a Splunk HEC sink needs a token: set ${TokenVariable} or pass --hec-token-file FILE");

    public const string TokenVariable = "SHADOWMCP_HEC_TOKEN";
}
