using System.Net.Http.Headers;
using System.Net.Http.Json;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Hosts.Output;

namespace ShadowMcp.Hosts.Fleet;

/// <summary>
/// Posts one host report to <c>shadowmcp serve</c>'s ingest endpoint with a host-ingest token. The scan id makes a
/// retry harmless: the server keeps one copy per (host, scan id).
/// </summary>
public sealed class InventoryUploader(HttpClient http)
{
    public const string IngestPath = "/api/hosts/inventory";

    /// <summary>A bare server address gets the ingest path; a URL with a path is used as given.</summary>
    public static Uri IngestUri(string reportTo)
    {
        if (!Uri.TryCreate(reportTo, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new FormatException($"--report-to '{reportTo}' is not an http(s) URL");
        return uri.AbsolutePath is "" or "/" ? new Uri(uri, IngestPath) : uri;
    }

    public async Task<(bool Ok, string Message)> PostAsync(Uri target, string token, HostReportDocument report, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = JsonContent.Create(report, options: JsonDefaults.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var text = body.Length > 300 ? body[..300] : body;
            return response.IsSuccessStatusCode
                ? (true, $"{target}: {(int)response.StatusCode} {text.Trim()}")
                : (false, $"{target}: {(int)response.StatusCode} {response.ReasonPhrase}: {text.Trim()}");
        }
        catch (HttpRequestException ex)
        {
            return (false, $"{target}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"{target}: timed out");
        }
    }
}
