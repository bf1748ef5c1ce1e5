using ShadowMcp.Cli.Configuration;
using ShadowMcp.Core.Findings;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// Everything that counts as sanctioned: the allow list in the settings file, plus the portal's registry (its own
/// address and every upstream it fronts) when the settings name the portal's config file.
/// </summary>
internal static class SanctionedSources
{
    /// <summary>The classifier's settings from the settings file: everything sanctioned, and the resolvers that vouch for it.</summary>
    public static ShadowMcp.Classifier.ClassifierOptions ClassifierOptions(ShadowMcpConfig config) =>
        new() { Sanctioned = [.. Collect(config)], TrustedResolvers = config.TrustedResolverNetworks() };

    public static IEnumerable<SanctionedEndpoint> Collect(ShadowMcpConfig config)
    {
        var list = config.SanctionedEndpoints().ToList();
        if (config.PortalConfig is { } path)
        {
            PortalConfig portal;
            try
            {
                portal = PortalConfigLoader.Load(path);
            }
            catch (PortalConfigException ex)
            {
                throw new ConfigException($"portalConfig: {ex.Message}");
            }
            list.AddRange(PortalRegistry.SanctionedEndpoints(portal, config.PortalUrls));
        }
        return list;
    }
}
