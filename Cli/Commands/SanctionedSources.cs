using ShadowMcp.Cli.Configuration;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Commands;

/// <summary>Everything that counts as sanctioned: the allow list in the settings file (and, later, the portal registry).</summary>
internal static class SanctionedSources
{
    public static IEnumerable<SanctionedEndpoint> Collect(ShadowMcpConfig config) => config.SanctionedEndpoints();
}
