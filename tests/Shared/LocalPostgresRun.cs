using ShadowMcp.Tests;

/// <summary>
/// Stops the run's <see cref="LocalPostgres"/> server after the last test of the assembly. In the global namespace
/// so it wraps every fixture; it starts nothing itself (fast-lane runs never start a server).
/// </summary>
[SetUpFixture]
#pragma warning disable CA1050 // a SetUpFixture for the whole assembly must be outside any namespace
public sealed class LocalPostgresRun
#pragma warning restore CA1050
{
    [OneTimeTearDown]
    public void StopServer() => LocalPostgres.StopShared();
}
