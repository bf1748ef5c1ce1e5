using System.Text.Json;
using System.Text.Json.Serialization;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Risk;

/// <summary>
/// The points each risk factor adds, read from a JSON settings file (<c>Reports/Risk/risk-weights.json</c> ships as
/// the default; <c>Reports:RiskWeights</c> names a replacement), so the weighting is the security team's to change.
/// </summary>
public sealed record RiskWeights
{
    public int Shadow { get; init; }
    public int Remote { get; init; }
    public CountFactor Clients { get; init; } = new();
    public PatternFactor DestructiveTools { get; init; } = new();
    public PatternFactor OpenWorldTools { get; init; } = new();
    public int Plaintext { get; init; }
    /// <summary>Points when hosts that use the server keep plaintext credentials in their agent configs.</summary>
    public int HostSecrets { get; init; }
    /// <summary>Factors that hold when a rule fired for the server (rules/mcp-tool-risk.yaml and any other rule).</summary>
    public IReadOnlyList<EvidenceFactor> Evidence { get; init; } = [];

    /// <summary>Points for a server with evidence from <see cref="Rule"/>, shown as <see cref="Name"/>.</summary>
    public sealed record EvidenceFactor
    {
        public string Rule { get; init; } = "";
        public string Name { get; init; } = "";
        public int Points { get; init; }
    }

    public sealed record CountFactor
    {
        public int Points { get; init; }
        public int AtLeast { get; init; } = 1;
    }

    public sealed record PatternFactor
    {
        public int Points { get; init; }
        public IReadOnlyList<string> Patterns { get; init; } = [];
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The shipped weights.</summary>
    public static RiskWeights Default { get; } = LoadDefault();

    /// <summary>Weights from <paramref name="path"/>; a file that does not parse is an error naming the file and place.</summary>
    public static RiskWeights Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Check(JsonSerializer.Deserialize<RiskWeights>(stream, Options), path);
        }
        catch (JsonException ex)
        {
            throw new ReportInputException($"{path}: line {(ex.LineNumber ?? 0) + 1}: {ex.Message.Split(". Path")[0]}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportInputException($"{path}: {ex.Message}");
        }
    }

    private static RiskWeights LoadDefault()
    {
        using var stream = typeof(RiskWeights).Assembly.GetManifestResourceStream("ShadowMcp.Reports.Risk.risk-weights.json")
            ?? throw new InvalidOperationException("the default risk weights are not embedded");
        return Check(JsonSerializer.Deserialize<RiskWeights>(stream, Options), "risk-weights.json");
    }

    private static RiskWeights Check(RiskWeights? w, string path)
    {
        if (w is null) throw new ReportInputException($"{path}: empty");
        foreach (var (name, points) in new[]
                 {
                     ("shadow", w.Shadow), ("remote", w.Remote), ("clients.points", w.Clients.Points),
                     ("destructiveTools.points", w.DestructiveTools.Points), ("openWorldTools.points", w.OpenWorldTools.Points),
                     ("plaintext", w.Plaintext), ("hostSecrets", w.HostSecrets),
                 })
            if (points is < 0 or > 100) throw new ReportInputException($"{path}: {name} is {points}; points are 0 to 100");
        if (w.Clients.AtLeast < 1) throw new ReportInputException($"{path}: clients.atLeast must be at least 1");
        for (var i = 0; i < w.Evidence.Count; i++)
        {
            var f = w.Evidence[i];
            if (string.IsNullOrWhiteSpace(f.Rule) || string.IsNullOrWhiteSpace(f.Name))
                throw new ReportInputException($"{path}: evidence[{i}] needs a rule id and a name");
            if (f.Points is < 0 or > 100)
                throw new ReportInputException($"{path}: evidence[{i}] ({f.Rule}) points is {f.Points}; points are 0 to 100");
        }
        return w;
    }
}
