using System.Security.Claims;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ShadowMcp.Admin.Auth;
using ShadowMcp.Admin.Auth.Oidc;

namespace ShadowMcp.Admin.Tests.Unit;

/// <summary>Who a person the provider vouched for becomes: their name, the highest mapped role, or nothing.</summary>
internal sealed class OidcRoleMapperTests
{
    private static OidcRoleMapper Mapper(string nameClaim = "preferred_username", string roleClaim = "groups") => new(new AdminOptions
    {
        Users = [new AdminUserOptions { Name = "ops", Token = "0123456789abcdef", Role = "admin" }],
        Oidc = new AdminOidcOptions
        {
            NameClaim = nameClaim,
            RoleClaim = roleClaim,
            RoleMappings =
            [
                new AdminOidcRoleMapping { Value = "secops", Role = "analyst" },
                new AdminOidcRoleMapping { Value = "secops-leads", Role = "admin" },
                new AdminOidcRoleMapping { Value = "auditors", Role = "viewer" },
            ],
        },
    });

    private static ClaimsPrincipal Person(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    [Test]
    public void Map_MappedGroup_GivesThatRoleUnderTheNameClaim()
    {
        var m = Mapper().Map(Person(("sub", "u-123"), ("preferred_username", "alice"), ("groups", "staff"), ("groups", "secops")));
        Assert.That(m.Principal, Is.EqualTo(new AdminPrincipal("alice", AdminRole.Analyst)));
    }

    [Test]
    public void Map_SeveralMappedGroups_GiveTheHighestRole()
    {
        var m = Mapper().Map(Person(("preferred_username", "bob"), ("groups", "auditors"), ("groups", "secops-leads"), ("groups", "secops")));
        Assert.That(m.Principal!.Role, Is.EqualTo(AdminRole.Admin));
    }

    [Test]
    public void Map_NoMappedGroup_IsRefusedWithTheName()
    {
        var m = Mapper().Map(Person(("preferred_username", "carol"), ("groups", "marketing"), ("groups", "SECOPS")));
        Assert.That(m.Principal, Is.Null, "values match exactly, case included");
        Assert.That(m.Name, Is.EqualTo("carol"));
        Assert.That(m.Refusal, Is.EqualTo("no 'groups' value is mapped to a role"));
    }

    [Test]
    public void Map_NameAndRoleClaims_AreConfigurable()
    {
        var m = Mapper(nameClaim: "email", roleClaim: "roles").Map(Person(("email", "dave@corp.example"), ("roles", "secops"), ("groups", "secops-leads")));
        Assert.That(m.Principal, Is.EqualTo(new AdminPrincipal("dave@corp.example", AdminRole.Analyst)));
    }

    [Test]
    public void Map_MissingOrUnusableName_IsRefused()
    {
        Assert.That(Mapper().Map(Person(("sub", "u-1"), ("groups", "secops"))).Refusal, Is.EqualTo("no 'preferred_username' claim"));
        Assert.That(Mapper().Map(Person(("preferred_username", "eve\nadmin"), ("groups", "secops"))).Refusal, Does.Contain("not a usable name"));
        Assert.That(Mapper().Map(Person(("preferred_username", new string('x', 201)), ("groups", "secops"))).Principal, Is.Null);
    }

    [TestCase("admin-ui")]
    [TestCase("OPS")]
    public void Map_NameOfALocalUserOrTheSharedToken_IsRefused(string name)
    {
        var m = Mapper().Map(Person(("preferred_username", name), ("groups", "secops-leads")));
        Assert.That(m.Principal, Is.Null);
        Assert.That(m.Refusal, Is.EqualTo("the name is taken by a local admin user"));
    }

    [Test]
    public void Reason_NamesTheKindOfFailure_NeverTheLibrarysMessage()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OidcEvents.Reason(new OpenIdConnectProtocolInvalidNonceException("nonce 'abc' ...")),
                Is.EqualTo("the nonce did not match this browser's sign-in"));
            Assert.That(OidcEvents.Reason(new SecurityTokenInvalidIssuerException("iss 'x'")), Is.EqualTo("the ID token came from the wrong issuer"));
            Assert.That(OidcEvents.Reason(new OpenIdConnectProtocolException("Message contains error: 'access_denied', error_description: 'eyJhbGci'")),
                Is.EqualTo("the provider denied access"));
            Assert.That(OidcEvents.Reason(new Microsoft.AspNetCore.Authentication.AuthenticationFailureException("Correlation failed.")),
                Is.EqualTo("the state did not belong to this browser (correlation failed)"));
            Assert.That(OidcEvents.Reason(new Microsoft.AspNetCore.Authentication.AuthenticationFailureException(
                "Access was denied by the resource owner or by the remote server.")), Is.EqualTo("the provider denied access"));
            Assert.That(OidcEvents.Reason(new InvalidOperationException("token eyJhbGci")), Is.EqualTo("InvalidOperationException"));
        });
    }
}
