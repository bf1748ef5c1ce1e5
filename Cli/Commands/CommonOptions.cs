using System.CommandLine;

namespace ShadowMcp.Cli.Commands;

/// <summary>Options shared by the detection commands.</summary>
internal static class CommonOptions
{
    public static Option<string?> Db() => new("--db")
    {
        Description = "Store: a SQLite file, or a PostgreSQL server as postgres://user:pass@host:port/db "
            + "(default: $SHADOWMCP_DB or ~/.local/share/shadowmcp/shadowmcp.db)",
    };

    public static Option<string?> Rules() => new("--rules")
    {
        Description = "Directory of rule files (default: the shipped rules/)",
    };

    public static Option<string?> Config() => new("--config")
    {
        Description = "Detection settings file (JSON): sanctioned endpoints, portal config (default: $SHADOWMCP_CONFIG or ./shadowmcp.json)",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log progress details to stderr" };
}
