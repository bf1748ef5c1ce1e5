using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Cli.Fleet;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// What <c>--report-to</c> and its companions accept before a sensor sends anything: credentials in the URL (every
/// log line about delivery names the target) and a sensor name the centre would refuse are errors at start.
/// </summary>
public sealed class ReportToTargetTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-report-to-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string TokenFile()
    {
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, "sensor-token-for-tests-0123456789\n"); // DevSkim: ignore DS173237
        return file;
    }

    [Test]
    public void CredentialsInTheUrl_AreRefused_AndNotRepeated()
    {
        using var http = new HttpClient();
        var error = new StringWriter();
        var target = new RemoteTarget("https://sensor:hunter2-secret@centre.example:8443", TokenFile(), "site-a", Path.Combine(_dir, "spool"));

        var sink = target.CreateSink(http, NullLogger.Instance, error);

        Assert.That(sink, Is.Null, "a password in the URL would be in every 'not delivered' log line");
        Assert.That(error.ToString(), Does.Contain("--report-to").And.Not.Contain("hunter2-secret"));
    }

    [TestCase("site-a:live")]
    [TestCase("site/a")]
    [TestCase("site a")]
    public void ASensorNameTheCentreRefuses_IsAnErrorAtStart(string name)
    {
        using var http = new HttpClient();
        var error = new StringWriter();
        var target = new RemoteTarget("https://centre.example:8443", TokenFile(), name, Path.Combine(_dir, "spool"));

        Assert.That(target.CreateSink(http, NullLogger.Instance, error), Is.Null);
        Assert.That(error.ToString(), Does.Contain("--sensor-name"));
    }

    [Test]
    public void AHostName_IsASensorName()
    {
        using var http = new HttpClient();
        var target = new RemoteTarget("https://centre.example:8443", TokenFile(), "sensor-01.site_b.corp", Path.Combine(_dir, "spool"));
        Assert.That(target.CreateSink(http, NullLogger.Instance, new StringWriter()), Is.Not.Null);
    }
}
