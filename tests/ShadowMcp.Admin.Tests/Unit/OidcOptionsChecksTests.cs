namespace ShadowMcp.Admin.Tests.Unit;

/// <summary>Admin:Oidc is checked at start, each problem naming its key.</summary>
internal sealed class OidcOptionsChecksTests
{
    private static List<string> Errors(AdminOidcOptions oidc) =>
        [.. new AdminOptionsValidator().Validate(null, new AdminOptions { Oidc = oidc }).Failures ?? []];

    private static AdminOidcOptions Good() => new()
    {
        Authority = "https://idp.corp.example/realms/corp",
        ClientId = "shadowmcp-admin",
        ClientSecret = "from-the-environment",
        RoleMappings = [new AdminOidcRoleMapping { Value = "secops", Role = "analyst" }],
    };

    [Test]
    public void Validate_OffByDefault_AndAGoodSettingPasses()
    {
        Assert.That(Errors(new AdminOidcOptions()), Is.Empty);
        Assert.That(Errors(Good()), Is.Empty);
    }

    [Test]
    public void Validate_SecretOrMappingsWithoutClientId_AreNamed()
    {
        Assert.That(Errors(new AdminOidcOptions { ClientSecret = "x" }),
            Is.EqualTo(new[] { "Admin:Oidc:ClientId is required when other Admin:Oidc settings (secret, role mappings) are set." }));
    }

    [TestCase(null, "Admin:Oidc:Authority is required")]
    [TestCase("idp.corp.example", "must be an absolute http(s) URL")]
    [TestCase("http://idp.corp.example", "must use https")]
    [TestCase("https://idp.corp.example/?tenant=1", "must not have a query or fragment")]
    public void Validate_BadAuthority_IsNamed(string? authority, string expected)
    {
        var o = Good();
        o.Authority = authority;
        Assert.That(Errors(o), Has.One.Contains(expected));
    }

    [TestCase("http://127.0.0.1:8443")]
    [TestCase("http://[::1]:8443")]
    [TestCase("http://localhost:8080/realms/corp")]
    public void Validate_PlainHttpOnLoopback_IsAllowed(string authority)
    {
        var o = Good();
        o.Authority = authority;
        Assert.That(Errors(o), Is.Empty);
    }

    [Test]
    public void Validate_SecretMustComeFromExactlyOnePlace_AndItsFileMustBeReadable()
    {
        var both = Good();
        both.ClientSecretFile = "/etc/shadowmcp/oidc-secret";
        Assert.That(Errors(both), Has.One.Contains("exactly one of ClientSecret (from the environment) and ClientSecretFile"));
        var none = Good();
        none.ClientSecret = null;
        Assert.That(Errors(none), Has.One.Contains("exactly one of"));

        var missing = Good();
        missing.ClientSecret = null;
        missing.ClientSecretFile = "/nonexistent/shadowmcp/secret";
        Assert.That(Errors(missing), Has.One.EqualTo("Admin:Oidc:ClientSecretFile '/nonexistent/shadowmcp/secret' cannot be read: DirectoryNotFoundException."));

        var dir = Directory.CreateTempSubdirectory("shadowmcp-oidc-secret-").FullName;
        try
        {
            var empty = Path.Combine(dir, "secret");
            File.WriteAllText(empty, " \n");
            missing.ClientSecretFile = empty;
            Assert.That(Errors(missing), Has.One.EqualTo($"Admin:Oidc:ClientSecretFile '{empty}' is empty."));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Validate_ErrorsNeverQuoteTheSecret()
    {
        var o = Good();
        o.ClientSecret = "s3cret-value-never-shown";
        o.Authority = "http://idp.corp.example";
        o.RoleMappings = [];
        Assert.That(string.Join("\n", Errors(o)), Does.Not.Contain("s3cret-value-never-shown"));
    }

    [Test]
    public void Validate_PathScopesClaimsAndMappings_AreNamedByKeyAndIndex()
    {
        var o = Good();
        o.RedirectPath = "https://evil.example/cb";
        o.Scopes = ["profile", "two words"];
        o.RoleClaim = " ";
        o.NameClaim = "";
        o.PushedAuthorization = "sometimes";
        o.RoleMappings = [new AdminOidcRoleMapping { Value = "secops", Role = "analyst" }, new AdminOidcRoleMapping { Value = "", Role = "root" }];
        var errors = Errors(o);
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Some.Contains("Admin:Oidc:RedirectPath 'https://evil.example/cb' must be a path"));
            Assert.That(errors, Has.Some.EqualTo("Admin:Oidc:Scopes must include openid."));
            Assert.That(errors, Has.Some.EqualTo("Admin:Oidc:Scopes must be single words without spaces."));
            Assert.That(errors, Has.Some.Contains("Admin:Oidc:RoleClaim must name a claim"));
            Assert.That(errors, Has.Some.Contains("Admin:Oidc:NameClaim must name a claim"));
            Assert.That(errors, Has.Some.Contains("Admin:Oidc:PushedAuthorization 'sometimes'"));
            Assert.That(errors, Has.Some.EqualTo("Admin:Oidc:RoleMappings:1:Value must not be empty."));
            Assert.That(errors, Has.Some.EqualTo("Admin:Oidc:RoleMappings:1:Role 'root' must be viewer, analyst or admin."));
            Assert.That(errors, Has.None.Contains("RoleMappings:0"));
        });
    }

    [Test]
    public void Validate_NoMappings_WouldLetNobodyIn()
    {
        var o = Good();
        o.RoleMappings = [];
        Assert.That(Errors(o), Has.One.Contains("RoleMappings is empty, so nobody could sign in"));
    }
}
