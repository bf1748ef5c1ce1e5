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

    [Test]
    public void Validate_UsersNeedANameOneTokenAndAKnownRole_EachNamedByIndex()
    {
        var ok = new AdminUserOptions { Name = "alice", Token = "0123456789abcdef", Role = "analyst" };
        Assert.That(Errors(new AdminOptions { Users = [ok] }), Is.Empty);
        var errors = Errors(new AdminOptions
        {
            Users =
            [
                ok,
                new AdminUserOptions { Name = "ALICE", Token = "0123456789abcdef", Role = "viewer" },
                new AdminUserOptions { Name = "", Role = "root" },
                new AdminUserOptions { Name = "admin-ui", Token = "short", Role = "2" },
            ],
        }).ToList();
        Assert.That(errors, Has.Some.EqualTo("Admin:Users:1:Name 'ALICE' is taken."));
        Assert.That(errors, Has.Some.StartsWith("Admin:Users:2:Name must be"));
        Assert.That(errors, Has.Some.EqualTo("Admin:Users:2: set exactly one of Token and TokenHash."));
        Assert.That(errors, Has.Some.EqualTo("Admin:Users:2:Role 'root' must be viewer, analyst or admin."));
        Assert.That(errors, Has.Some.EqualTo("Admin:Users:3:Name 'admin-ui' is taken."), "the shared token's name is reserved");
        Assert.That(errors, Has.Some.StartsWith("Admin:Users:3:Token is too short"));
        Assert.That(errors, Has.Some.EqualTo("Admin:Users:3:Role '2' must be viewer, analyst or admin."));
    }
}
