using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Portal.Telemetry;

namespace ShadowMcp.Portal.Tests.Telemetry;

/// <summary>/metrics off loopback needs the host's own credentials; the client's address and headers do not count.</summary>
public sealed class MetricsAccessTests
{
    private static HttpContext Request(string localAddress, string remoteAddress = "203.0.113.9", bool authenticated = false)
    {
        var ctx = new DefaultHttpContext();
        ctx.Connection.LocalIpAddress = IPAddress.Parse(localAddress);
        ctx.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
        if (authenticated) ctx.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "prometheus")], "test"));
        return ctx;
    }

    private static bool PortalCheck(HttpContext ctx) => ctx.User.Identity?.IsAuthenticated == true;

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.53")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public void ArrivedOnLoopback_IsServedWithoutCredentials(string local) =>
        Assert.That(MetricsAccess.Allowed(Request(local), PortalCheck), Is.True);

    [TestCase("10.0.0.5")]
    [TestCase("0.0.0.0")]
    [TestCase("fe80::1")]
    [TestCase("::ffff:10.0.0.5")]
    public void ArrivedElsewhere_WithoutCredentials_IsRefused(string local) =>
        Assert.That(MetricsAccess.Allowed(Request(local), PortalCheck), Is.False);

    [Test]
    public void ArrivedElsewhere_FromALoopbackLookingClientOrHeader_IsStillRefused()
    {
        var ctx = Request("10.0.0.5", remoteAddress: "127.0.0.1");
        ctx.Request.Headers["X-Forwarded-For"] = "127.0.0.1";
        Assert.That(MetricsAccess.Allowed(ctx, PortalCheck), Is.False);
    }

    [Test]
    public void ArrivedElsewhere_WithTheHostsCredentials_IsServed() =>
        Assert.That(MetricsAccess.Allowed(Request("10.0.0.5", authenticated: true), PortalCheck), Is.True);
}
