using NUnit.Framework.Internal;

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
        RequireIntegrationLane(string.Join(", ", programs));
        var missing = programs.Where(p => !OnPath(p)).ToList();
        if (missing.Count > 0) Missing(string.Join(", ", missing), install);
    }

    /// <summary>Fails unless a file or folder a test needs (a browser, node_modules) exists.</summary>
    public static void RequirePath(string path, string what, string install)
    {
        RequireIntegrationLane(what);
        if (!File.Exists(path) && !Directory.Exists(path)) Missing($"{what} ({path})", install);
    }

    /// <summary>
    /// Fails a test that starts a process, a server or a tool unless it (or its fixture) is in the Integration lane,
    /// so `dotnet test --filter "TestCategory!=Integration"` stays fast and free of external tools without anyone
    /// having to remember: every launcher in tests/ calls this (a fast test checks that they do).
    /// </summary>
    public static void RequireIntegrationLane(string what)
    {
        var test = TestContext.CurrentContext.Test;
        if (IsIntegration(test.Properties[PropertyNames.Category])) return;
        for (var parent = test.Parent; parent is not null; parent = parent.Parent)
        {
            if (IsIntegration(parent.Properties[PropertyNames.Category])) return;
        }
        Assert.Fail($"{test.FullName} drives {what}, so it belongs to the Integration lane: "
            + $"add [Category(\"{IntegrationCategory}\")] to the test or its fixture.");
    }

    public const string IntegrationCategory = "Integration";

    private static bool IsIntegration(System.Collections.IEnumerable categories) =>
        categories.OfType<string>().Contains(IntegrationCategory, StringComparer.Ordinal);

    public static void Missing(string what, string install) =>
        Assert.Fail($"missing test prerequisite: {what}. Install it with `{install}`, "
            + "or run `sudo bash .ci/run`, which installs every test prerequisite and runs all tests.");

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));
}
