using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShadowMcp.Core.Serialization;

public static class JsonDefaults
{
    /// <summary>camelCase, no indentation, and no escaping beyond what JSON needs (hostnames and paths stay readable).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
