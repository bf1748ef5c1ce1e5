using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Scheduling;

namespace ShadowMcp.Reports.Tests.Scheduling;

/// <summary>Reports:TriageOverdueDays reaches the report sources, and a value outside 1..365 stops the start.</summary>
public sealed class TriageOverdueSettingTests
{
    private static ServiceProvider Provider(string? days)
    {
        var settings = new Dictionary<string, string?> { ["Reports:Enabled"] = "false" };
        if (days is not null) settings["Reports:TriageOverdueDays"] = days;
        return new ServiceCollection().AddLogging().AddShadowMcpReports(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
    }

    [Test]
    public void TriageOverdueDays_ReachesTheReportSources()
    {
        using var provider = Provider("14");
        Assert.That(provider.GetRequiredService<ReportSources>().TriageOverdueDays, Is.EqualTo(14));
        using var defaults = Provider(null);
        Assert.That(defaults.GetRequiredService<ReportSources>().TriageOverdueDays, Is.EqualTo(7));
    }

    [TestCase("0")]
    [TestCase("366")]
    public void TriageOverdueDays_OutOfRange_FailsAtStart(string days)
    {
        using var provider = Provider(days);
        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ReportsOptions>>().Value);
        Assert.That(ex!.Message, Does.Contain("TriageOverdueDays").And.Contain($"'{days}'"));
    }
}
