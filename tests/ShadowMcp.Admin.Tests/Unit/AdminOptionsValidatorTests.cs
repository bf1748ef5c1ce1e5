namespace ShadowMcp.Admin.Tests.Unit;

internal sealed class AdminOptionsValidatorTests
{
    private static IEnumerable<string> Errors(AdminOptions o) => new AdminOptionsValidator().Validate(null, o).Failures ?? [];

    [Test]
    public void Validate_NoTokenIsAllowedButShortOrMalformedIsNot()
    {
        Assert.That(Errors(new AdminOptions()), Is.Empty);
        Assert.That(Errors(new AdminOptions { AdminToken = "short" }), Has.One.Contains("too short (5 characters)"));
        Assert.That(Errors(new AdminOptions { AdminTokenHash = "sha256:abc" }), Has.One.Contains("64 hex digits"));
        Assert.That(Errors(new AdminOptions { AdminToken = "0123456789abcdef", AdminTokenHash = Auth.AdminTokenVerifier.HashText("x") }),
            Has.One.Contains("only one of"));
    }

    [Test]
    public void Validate_BadZoneAndPageSizeAreNamed()
    {
        var errors = Errors(new AdminOptions { ReportsTimeZone = "Mars/Olympus", PageSize = 0 }).ToList();
        Assert.That(errors, Has.Some.Contains("'Mars/Olympus'"));
        Assert.That(errors, Has.Some.Contains("PageSize 0"));
    }
}
