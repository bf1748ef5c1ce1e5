using System.Globalization;
using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>
/// A domain name has two written forms: Unicode labels (<c>bücher.example</c>, as people write them in configs) and
/// their ASCII (punycode, <c>xn--bcher-kva.example</c>), which is what DNS, TLS SNI and HTTP carry. Names are compared
/// in the ASCII form.
/// </summary>
public static class HostNameForms
{
    /// <summary>
    /// The ASCII form of <paramref name="name"/>: the same instance when it is ASCII already (no allocation, for the
    /// packet path); a name IDNA refuses is returned unchanged, so it matches only itself. A leading "*." wildcard is kept.
    /// </summary>
    public static string ToAscii(string name)
    {
        if (Ascii.IsValid(name)) return name;
        var wildcard = name.StartsWith("*.", StringComparison.Ordinal);
        try
        {
            // IdnMapping's instance methods are not documented as thread-safe; a non-ASCII name is rare enough for one each.
            var ascii = new IdnMapping().GetAscii(wildcard ? name[2..] : name);
            return wildcard ? "*." + ascii : ascii;
        }
        catch (ArgumentException)
        {
            return name;
        }
    }
}
