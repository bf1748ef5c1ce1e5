using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ShadowMcp.Portal.Auth;

/// <summary>
/// Reads the groups out of a validated JWT's payload as sent. An array claim gives one group per string element,
/// never split (a group may be named "Platform engineering" or even "contractors,engineering"). A single string
/// is one group, or split on the configured separator when the issuer sends a list in one string. The payload is
/// read directly because the token library turns a one-element array into a plain string.
/// </summary>
internal static class JwtGroups
{
    public static IReadOnlyList<string> Read(JsonWebToken token, string claim, string? separator)
    {
        using var payload = JsonDocument.Parse(Encoding.UTF8.GetBytes(Base64UrlEncoder.Decode(token.EncodedPayload)));
        if (payload.RootElement.ValueKind != JsonValueKind.Object || !payload.RootElement.TryGetProperty(claim, out var value)) return [];
        IEnumerable<string> groups = value.ValueKind switch
        {
            JsonValueKind.String => Split(value.GetString()!, separator),
            JsonValueKind.Array => value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!),
            _ => [],
        };
        return groups.Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Split(string value, string? separator) => string.IsNullOrEmpty(separator)
        ? [value]
        : value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
