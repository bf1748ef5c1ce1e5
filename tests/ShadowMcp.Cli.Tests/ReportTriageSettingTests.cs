using Microsoft.Extensions.Configuration;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Cli.Tests;

/// <summary>`shadowmcp report` reads Reports:TriageOverdueDays from the same layers as `serve`, and refuses a bad value.</summary>
public sealed class ReportTriageSettingTests
{
    private static ReportSources With(string? value) => ReportInputs.WithSources(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Reports:TriageOverdueDays"] = value }).Build(),
        ReportSources.NotConfigured());

    [Test]
    public void TriageOverdueDays_SetOrDefault()
    {
        Assert.That(With("14").TriageOverdueDays, Is.EqualTo(14));
        Assert.That(With(null).TriageOverdueDays, Is.EqualTo(7));
    }

    [TestCase("0")]
    [TestCase("366")]
    [TestCase("a week")]
    public void TriageOverdueDays_OutOfRange_IsAnInputError(string value) =>
        Assert.That(() => With(value), Throws.TypeOf<ReportInputException>().With.Message.Contains("TriageOverdueDays"));
}
