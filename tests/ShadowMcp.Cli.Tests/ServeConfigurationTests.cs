using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Cli.Fleet;
using ShadowMcp.Reports.Scheduling;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The environment variable forms docs/reports.md and deploy/shadowmcp.service document reach `serve`'s settings:
/// the plain section form (Reports__Cron) and the SHADOWMCP_ prefixed form, the prefixed one winning.
/// </summary>
public sealed class ServeConfigurationTests
{
    private static ReportsOptions ReportsWith(IDictionary environment) => OptionsWith<ReportsOptions>(environment);

    private static SensorIngestOptions SensorsWith(IDictionary environment) => OptionsWith<SensorIngestOptions>(environment);

    private static T OptionsWith<T>(IDictionary environment) where T : class
    {
        var app = ServeCommand.Build(null,
            new Dictionary<string, string?>(), environment, out _);
        Assert.That(app, Is.Not.Null);
        try
        {
            return app!.Services.GetRequiredService<IOptions<T>>().Value;
        }
        finally
        {
            ((IDisposable)app!).Dispose();
        }
    }

    [Test]
    public void Build_DocumentedSectionVariables_ReachTheReportSchedule()
    {
        var o = ReportsWith(new Hashtable
        {
            ["Reports__Cron"] = "0 15 5 ? * WED",
            ["Reports__TimeZone"] = "Europe/Berlin",
            ["Reports__OutputDirectory"] = "/var/lib/shadowmcp/reports",
            ["PATH"] = "/usr/bin",
        });
        Assert.That(o.Cron, Is.EqualTo("0 15 5 ? * WED"));
        Assert.That(o.TimeZone, Is.EqualTo("Europe/Berlin"));
        Assert.That(o.OutputDirectory, Is.EqualTo("/var/lib/shadowmcp/reports"));
    }

    [Test]
    public void Build_PrefixedVariables_StillWorkAndWinOverThePlainForm()
    {
        var o = ReportsWith(new Hashtable
        {
            ["Reports__Cron"] = "0 15 5 ? * WED",
            ["SHADOWMCP_Reports__Cron"] = "0 0 7 ? * FRI",
            ["SHADOWMCP_Reports__TimeZone"] = "Asia/Tokyo",
        });
        Assert.That(o.Cron, Is.EqualTo("0 0 7 ? * FRI"));
        Assert.That(o.TimeZone, Is.EqualTo("Asia/Tokyo"));
    }

    [Test]
    public void Build_BadCronFromTheEnvironment_IsRejectedNamingTheValue()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => ReportsWith(new Hashtable { ["Reports__Cron"] = "every monday" }));
        Assert.That(ex!.Message, Does.Contain("every monday"));
    }
    [Test]
    public void Build_SensorTokenSettingsItCannotHonour_AreRejectedNamingEachWithoutTheToken()
    {
        // Before: a short IngestTokens entry was dropped silently (that sensor got 401s), a bound name no sensor can
        // send failed every ingest request with 500, and a zero slot count refused every batch.
        var ex = Assert.Throws<OptionsValidationException>(() => SensorsWith(new Hashtable
        {
            ["Sensors__IngestTokens__0"] = "short-secret",
            ["Sensors__SensorTokens__site*b"] = "a-long-enough-token-for-site-b",
            ["Sensors__SensorTokens__site-c"] = "tiny-secret",
            ["Sensors__MaxConcurrentBatches"] = "0",
            ["Sensors__SensorTokens__site-d"] = "one-token-given-to-two-sites",
            ["Sensors__SensorTokens__site-e"] = "one-token-given-to-two-sites",
        }));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("Sensors:IngestTokens:0: not a token"));
            Assert.That(ex.Message, Does.Contain("Sensors:SensorTokens: 'site*b' is not a sensor name"));
            Assert.That(ex.Message, Does.Contain("Sensors:SensorTokens:site-c: not a token"));
            Assert.That(ex.Message, Does.Contain("Sensors:MaxConcurrentBatches must be positive"));
            Assert.That(ex.Message, Does.Contain("Sensors:SensorTokens:site-e: the same token as site-d"));
            Assert.That(ex.Message, Does.Not.Contain("short-secret").And.Not.Contain("tiny-secret").And.Not.Contain("a-long-enough")
                .And.Not.Contain("one-token-given"));
        });
    }

    [Test]
    public void Build_GoodSensorTokenSettings_Bind()
    {
        var o = SensorsWith(new Hashtable
        {
            ["Sensors__IngestTokens__0"] = "a-shared-fleet-token-of-length",
            ["SHADOWMCP_Sensors__SensorTokens__site-b"] = "a-long-enough-token-for-site-b",
        });
        Assert.That(o.SensorTokens.Keys, Is.EqualTo(new[] { "site-b" }));
    }
}
