using System.Diagnostics;
using System.Text.Json;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Policy;

namespace ShadowMcp.Portal.Pipeline;

/// <summary>What the pipeline learns about one request as its steps run; becomes exactly one audit row.</summary>
internal sealed class CallRecord(PortalCaller caller, string method, string? name, IDictionary<string, JsonElement>? arguments)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Direction, IReadOnlyList<string> Detectors)> _dlp = [];

    public PortalCaller Caller { get; } = caller;
    public string Method { get; } = method;

    /// <summary>The name audited: the exposed tool or prompt name, or a (redacted) resource URI.</summary>
    public string? Name { get; set; } = name;

    /// <summary>The caller's arguments as sent, audited by size and hash (and redacted, when kept).</summary>
    public IDictionary<string, JsonElement>? Arguments { get; } = arguments;

    public string? Server { get; set; }

    /// <summary>
    /// The tool name once the catalog resolved it (or the built-in tool): the only tool name metrics and spans may
    /// carry; a name the caller invented stays null.
    /// </summary>
    public string? CatalogTool { get; set; }
    public string Reason { get; set; } = "";
    public CallOutcome Outcome { get; set; } = CallOutcome.Error;
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Each DLP step that matched: its direction (arguments, result, error) and the detector of every hit.</summary>
    public IReadOnlyList<(string Direction, IReadOnlyList<string> Detectors)> Dlp => _dlp;

    public void AddDlp(string direction, DlpScanResult result)
    {
        if (result.Hits.Count > 0) _dlp.Add((direction, result.Hits.Select(h => h.Detector).ToList()));
    }

    /// <summary>
    /// Hits found by a later look at the same data (code mode decodes results before its scripts see them), as a
    /// detector summary ("email,iban").
    /// </summary>
    public void AddDlp(string direction, string summary)
    {
        if (summary.Length > 0) _dlp.Add((direction, summary.Split(',')));
    }

    /// <summary>"arguments:card-number;result:email,iban": each direction with the detectors that matched.</summary>
    public string? DlpHits => _dlp.Count == 0 ? null
        : string.Join(";", _dlp.Select(d => $"{d.Direction}:{string.Join(",", d.Detectors.Distinct())}"));
}
