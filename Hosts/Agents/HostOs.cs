namespace ShadowMcp.Hosts.Agents;

/// <summary>Whose file layout to read: a live machine's own, or a copied profile's.</summary>
public enum HostOs
{
    Linux,
    MacOs,
    Windows,
}

public static class HostOsNames
{
    public static HostOs Current =>
        OperatingSystem.IsWindows() ? HostOs.Windows : OperatingSystem.IsMacOS() ? HostOs.MacOs : HostOs.Linux;

    public static bool TryParse(string? text, out HostOs os)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "linux": os = HostOs.Linux; return true;
            case "macos" or "mac" or "darwin": os = HostOs.MacOs; return true;
            case "windows" or "win": os = HostOs.Windows; return true;
            default: os = default; return false;
        }
    }

    public static string ToWire(this HostOs os) => os switch
    {
        HostOs.MacOs => "macos",
        HostOs.Windows => "windows",
        _ => "linux",
    };
}
