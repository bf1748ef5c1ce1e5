namespace ShadowMcp.Tests;

/// <summary>
/// The one check for the programs and packages a test drives (nft, ip, unbound, squid, tshark, chromium, node and
/// the TypeScript SDK). A missing one fails the test with the same message everywhere, naming it and how to install
/// it: a machine without the tool must not pass by skipping, and `.ci/run` installs them all.
/// Linked into each test project that needs it (see the csproj files).
/// </summary>
internal static class ExternalTools
{
    /// <summary>Fails unless every program is on PATH.</summary>
    public static void Require(string install, params string[] programs)
    {
        var missing = programs.Where(p => !OnPath(p)).ToList();
        if (missing.Count > 0) Missing(string.Join(", ", missing), install);
    }

    /// <summary>Fails unless a file or folder a test needs (a browser, node_modules) exists.</summary>
    public static void RequirePath(string path, string what, string install)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) Missing($"{what} ({path})", install);
    }

    public static void Missing(string what, string install) =>
        Assert.Fail($"missing test prerequisite: {what}. Install it with `{install}`, "
            + "or run `sudo bash .ci/run`, which installs every test prerequisite and runs all tests.");

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));
}
