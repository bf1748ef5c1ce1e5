using System.Text;
using ShadowMcp.Core.Observations.Catalogue;

namespace ShadowMcp.Scanner.Http;

/// <summary>The headers kept as fields (listed in <see cref="ObservationCatalogue"/>), matched case-insensitively on the raw bytes.</summary>
internal static class HttpHeaderSelection
{
    private static readonly string[] RequestNames = [.. ObservationCatalogue.RequestHeaders];
    private static readonly string[] ResponseNames = [.. ObservationCatalogue.ResponseHeaders];

    private static readonly byte[][] RequestNameBytes = RequestNames.Select(Encoding.ASCII.GetBytes).ToArray();
    private static readonly byte[][] ResponseNameBytes = ResponseNames.Select(Encoding.ASCII.GetBytes).ToArray();

    /// <summary>The canonical lower-case name when the header is selected for this side, else null.</summary>
    public static string? Select(ReadOnlySpan<byte> name, bool request)
    {
        var names = request ? RequestNameBytes : ResponseNameBytes;
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == name.Length && Ascii.EqualsIgnoreCase(names[i], name))
                return request ? RequestNames[i] : ResponseNames[i];
        }
        return null;
    }
}
