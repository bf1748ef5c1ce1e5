using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShadowMcp.Reports.Scheduling;
using ShadowMcp.Reports.Scheduling.Cluster;

namespace ShadowMcp.Reports.Tests.Scheduling.Cluster;

public sealed class ClusterOptionsTests
{
    private static ReportsOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        using var provider = new ServiceCollection().AddLogging().AddShadowMcpReports(configuration)
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ReportsOptions>>().Value;
    }

    private static string Errors(params (string Key, string Value)[] settings)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(settings));
        return ex!.Message;
    }

    [Test]
    public void Defaults_CheckInEveryTenSecondsDeadAfterTwentyAutoId()
    {
        var o = Bind().Cluster;

        Assert.That((o.CheckInInterval, o.FailedInstanceAfter, o.InstanceId),
            Is.EqualTo((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), "AUTO")));
    }

    [Test]
    public void Bind_FromSettings_ReadsEveryKey()
    {
        var o = Bind(("Reports:Cluster:CheckInInterval", "00:00:05"),
            ("Reports:Cluster:FailedInstanceAfter", "00:00:15"),
            ("Reports:Cluster:InstanceId", "serve-a")).Cluster;

        Assert.That((o.CheckInInterval, o.FailedInstanceAfter, o.InstanceId),
            Is.EqualTo((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), "serve-a")));
    }

    [Test]
    public void Validate_CheckInIntervalZero_NamesTheKeyAndRange()
    {
        Assert.That(Errors(("Reports:Cluster:CheckInInterval", "00:00:00")),
            Does.Contain("Reports:Cluster:CheckInInterval '00:00:00' must be 00:00:01 to 00:10:00"));
    }

    [Test]
    public void Validate_FailedInstanceAfterShorterThanCheckIn_IsRefused()
    {
        var errors = Errors(("Reports:Cluster:CheckInInterval", "00:00:30"),
            ("Reports:Cluster:FailedInstanceAfter", "00:00:10"));

        Assert.That(errors, Does.Contain(
            "Reports:Cluster:FailedInstanceAfter '00:00:10' must be at least " +
            "Reports:Cluster:CheckInInterval '00:00:30'"));
    }

    [Test]
    public void Validate_BlankOrOverlongInstanceId_IsRefused()
    {
        Assert.That(Errors(("Reports:Cluster:InstanceId", " ")), Does.Contain("Reports:Cluster:InstanceId is empty"));
        Assert.That(Errors(("Reports:Cluster:InstanceId", new string('x', 201))),
            Does.Contain("Reports:Cluster:InstanceId must be at most 200 printable characters"));
    }

    [Test]
    public void InstanceId_Auto_IsUniquePerProcessAndNamesThisHostAndPid()
    {
        var id = ClusterInstance.From(new ClusterOptions()).Id;

        Assert.That(id, Does.StartWith($"{Environment.MachineName}-{Environment.ProcessId}-"));
        Assert.That(ClusterInstance.From(new ClusterOptions { InstanceId = "serve-b" }).Id, Is.EqualTo("serve-b"));
    }
}
