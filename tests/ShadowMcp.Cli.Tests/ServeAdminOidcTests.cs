using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShadowMcp.Admin;
using ShadowMcp.Cli.Commands;

namespace ShadowMcp.Cli.Tests;

/// <summary>`serve` points the admin UI's OIDC sign-in at the issuer its portal trusts, unless told otherwise.</summary>
public sealed class ServeAdminOidcTests
{
    private string _dir = null!;
    private string _portal = null!;

    [OneTimeSetUp]
    public void WritePortalConfig()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-serve-oidc-").FullName;
        _portal = Path.Combine(_dir, "portal.json");
        File.WriteAllText(_portal, """
            { "portal": { "publicUrl": "https://mcp.corp.example" },
              "auth": { "jwt": { "issuer": "https://idp.corp.example", "audience": "shadowmcp-portal",
                                 "jwksUrl": "https://idp.corp.example/.well-known/jwks.json" } },
              "upstreams": [ { "id": "tickets", "url": "http://127.0.0.1:9/mcp" } ],
              "groups": { "support": { "servers": { "tickets": ["search_*"] } } } }
            """);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private AdminOidcOptions OidcWith(bool portal, IDictionary environment)
    {
        var overrides = new Dictionary<string, string?> { ["Sensor:Database"] = Path.Combine(_dir, "store.db") };
        if (portal)
        {
            overrides["Portal:Config"] = _portal;
            overrides["Portal:Database"] = Path.Combine(_dir, "store.db");
        }
        var app = ServeCommand.Build(null, overrides, environment, out _);
        Assert.That(app, Is.Not.Null);
        try
        {
            return app!.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Oidc;
        }
        finally
        {
            ((IDisposable)app!).Dispose();
        }
    }

    private static Hashtable Client() => new()
    {
        ["Admin__Oidc__ClientId"] = "shadowmcp-admin",
        ["Admin__Oidc__ClientSecret"] = "from-the-environment",
        ["Admin__Oidc__RoleMappings__0__Value"] = "secops",
        ["Admin__Oidc__RoleMappings__0__Role"] = "analyst",
    };

    [Test]
    public void Serve_WithPortal_TrustsThePortalsIssuer()
    {
        var oidc = OidcWith(portal: true, Client());
        Assert.That(oidc.Authority, Is.EqualTo("https://idp.corp.example"));
        Assert.That(oidc.ClientSecret, Is.EqualTo("from-the-environment"));
    }

    [Test]
    public void Serve_ExplicitAuthority_WinsOverThePortalsIssuer()
    {
        var env = Client();
        env["Admin__Oidc__Authority"] = "https://sso.corp.example/realms/admins";
        Assert.That(OidcWith(portal: true, env).Authority, Is.EqualTo("https://sso.corp.example/realms/admins"));
    }

    [Test]
    public void Serve_WithoutPortalOrAuthority_StopsNamingTheKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => OidcWith(portal: false, Client()));
        Assert.That(ex!.Message, Does.Contain("Admin:Oidc:Authority is required"));
    }
}
