namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// Strings an attacker controls on the wire or in a host's agent config, each of which would set
/// <c>window.__pwned</c> (or fetch <c>/pwned/…</c> from the admin's own origin) if a page let it run. A test watches
/// for both, so a payload that got through is reported by name.
/// </summary>
internal static class Payloads
{
    /// <summary>A script element and a closing tag that would end the surrounding raw-text element first.</summary>
    public const string Script = "</title></style></textarea><script>window.__pwned='script'</script>";
    /// <summary>Breaks out of a double-quoted attribute.</summary>
    public const string DoubleQuote = "\"><img src=x onerror=\"window.__pwned='dq'\">";
    /// <summary>Breaks out of a single-quoted attribute, and an unquoted one.</summary>
    public const string SingleQuote = "'><svg/onload=window.__pwned='sq'> x=y onmouseover=window.__pwned='uq'";
    /// <summary>Backticks: old IE's attribute quote; a template literal if ever put into script.</summary>
    public const string Backtick = "`><img src=x onerror=`window.__pwned='bt'`>${window.__pwned='tpl'}";
    /// <summary>Would be followed if a page made a link of it.</summary>
    public const string JsUrl = "javascript:window.__pwned='jsurl'//";
    public const string DataUrl = "data:text/html,<script>window.__pwned='dataurl'</script>";
    /// <summary>CSS that fetches from the admin's origin if it lands in a style context.</summary>
    public const string Css = "x;}</style><style>body{background:url(/pwned/css)}</style><p style=\"background:url(/pwned/style)\">";
    /// <summary>Already looks escaped: must show as written, not be decoded into a tag.</summary>
    public const string Entities = "&lt;img src=x onerror=window.__pwned='ent'&gt; &amp;lt; &#60;b&#62;";
    /// <summary>JSON/JS-in-HTML: would end a script block or a JS string if a page embedded data that way.</summary>
    public const string ScriptData = "\"};window.__pwned='json';//</script><!--<script>";
    /// <summary>
    /// A name that reads as "github.com" when the right-to-left override is honoured, plus zero-width and tag
    /// characters (invisible text).
    /// </summary>
    public const string Bidi = "evil\u202Emoc.buhtig\u202C\u200Bsafe\U000E0041";
    /// <summary>Spreadsheet formulas for the CSV exports.</summary>
    public const string Formula = "=HYPERLINK(\"http://127.0.0.1/pwned/csv\",\"x\")";
    /// <summary>A formula after a semicolon: a new cell where the spreadsheet's list separator is ";" (much of Europe).</summary>
    public const string SemicolonFormula = "x;=HYPERLINK(\"http://127.0.0.1/pwned/csv2\",\"y\")";

    /// <summary>No spaces, CR or LF: fits a request line, a Host header and a path.</summary>
    public const string Compact = "<svg/onload=window.__pwned='compact'>\"'`";

    public static readonly string Long = "L" + new string('W', 6000) + "<img src=x onerror=window.__pwned='long'>";

    /// <summary>All the payloads that fit a JSON string.</summary>
    public static readonly string[] All = [Script, DoubleQuote, SingleQuote, Backtick, JsUrl, DataUrl, Css, Entities, ScriptData, Bidi, Formula, SemicolonFormula];

    public static string Join(params string[] parts) => string.Concat(parts);
}
