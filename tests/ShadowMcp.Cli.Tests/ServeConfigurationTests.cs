using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Reports.Scheduling;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The environment variable forms docs/reports.md and deploy/shadowmcp.service document reach `serve`'s settings:
/// the plain section form (Reports__Cron) and the SHADOWMCP_ prefixed form, the prefixed one winning.
/// </summary>
public sealed class ServeConfigurationTests
{
    private static ReportsOptions ReportsWith(IDictionary environment)
    {
        var app = ServeCommand.Build(null,
            new Dictionary<string, string?>(), environment, out _);
        Assert.That(app, Is.Not.Null);
        try
        {
            return app!.Services.GetRequiredService<IOptions<ReportsOptions>>().Value;
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
}
