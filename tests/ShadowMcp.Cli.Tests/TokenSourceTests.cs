using ShadowMcp.Cli.Configuration;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// One order for every bearer token a command sends (sensor to centre, host scan, Splunk HEC): the value given,
/// else the file, else the environment variable; a named file that cannot be read is an error, not a fall back to
/// the environment, so a typo never sends another credential.
/// </summary>
[NonParallelizable]
public sealed class TokenSourceTests
{
    private const string Variable = "SHADOWMCP_TEST_TOKEN_SOURCE";
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("token-source-").FullName;
        Environment.SetEnvironmentVariable(Variable, " from-env \n");
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(Variable, null);
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void ValueFirst_ThenFile_ThenEnvironment_AllTrimmed()
    {
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, "  from-file\n");

        Assert.Multiple(() =>
        {
            Assert.That(TokenSource.Read("given", file, "--token-file", Variable, out _), Is.EqualTo("given"));
            Assert.That(TokenSource.Read(null, file, "--token-file", Variable, out _), Is.EqualTo("from-file"));
            Assert.That(TokenSource.Read(null, null, "--token-file", Variable, out _), Is.EqualTo("from-env"));
        });
    }

    [Test]
    public void UnreadableFile_IsAnErrorNamingTheOption_NotTheEnvironmentsToken()
    {
        var missing = Path.Combine(_dir, "no-such-token");

        var token = TokenSource.Read(null, missing, "--hec-token-file", Variable, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.Null);
            Assert.That(error, Does.StartWith($"--hec-token-file {missing}: cannot read it"));
        });
    }

    [Test]
    public void BlankFile_IsNoToken_AndDoesNotFallBackToTheEnvironment()
    {
        var blank = Path.Combine(_dir, "blank");
        File.WriteAllText(blank, " \n");

        var token = TokenSource.Read(null, blank, "--token-file", Variable, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.Null);
            Assert.That(error, Is.Null, "an empty file is a missing token, for the caller to say so");
        });
    }
}
