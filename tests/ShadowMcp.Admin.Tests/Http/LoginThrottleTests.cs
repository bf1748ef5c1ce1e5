using System.Net;
using Microsoft.Extensions.Logging;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// Wrong admin tokens are throttled per client address: within one window the client gets its allowance of 401s,
/// then 429 with Retry-After for any token (a right guess included), and each refusal is logged. The window is
/// long (an hour) so that no replenishment can fall inside the test; nothing here measures time.
/// </summary>
[Category("Integration")]
internal sealed class LoginThrottleTests
{
    private const int Allowed = 3;

    [Test]
    public async Task Login_WrongTokenBeyondTheAllowance_Gets429EvenWithTheRightToken_AndIsLogged()
    {
        var logs = new CapturedLogs();
        await using var host = await AdminHost.StartAsync(configure: s =>
        {
            s["Admin:LoginFailuresPerWindow"] = Allowed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Admin:LoginFailureWindow"] = "01:00:00";
        }, logs: logs);
        using var client = new AdminHttpClient(host);
        var csrf = await client.CsrfFieldAsync("/admin/login");

        for (var i = 1; i <= Allowed; i++)
        {
            using var wrong = await client.PostFormAsync("/admin/login", [csrf, new("token", $"wrong-token-number-{i}"), new("returnUrl", "/admin/findings")]);
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"wrong token {i} of {Allowed} is answered");
        }
        using var throttled = await client.PostFormAsync("/admin/login", [csrf, new("token", "wrong-token-number-4"), new("returnUrl", "/admin/findings")]);
        Assert.That(throttled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(throttled.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(await throttled.Content.ReadAsStringAsync(), Does.Contain("Too many wrong tokens from this address"));

        using var right = await client.PostFormAsync("/admin/login", [csrf, new("token", AdminHost.Token), new("returnUrl", "/admin/findings")]);
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a throttled client learns nothing from a right guess");
        using var bearer = await client.GetAsync("/admin/api/findings", bearer: AdminHost.Token);
        Assert.That(bearer.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the API's bearer token is the same guess");

        var messages = logs.Messages.Select(m => m.Message).ToList();
        Assert.That(messages.Count(m => m.EndsWith(": wrong token", StringComparison.Ordinal)), Is.EqualTo(Allowed));
        Assert.That(messages.Count(m => m.Contains("throttled", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(messages, Has.None.Contains(AdminHost.Token), "the token never reaches the log");
    }

    [Test]
    public async Task Api_WrongBearerTokensCountTowardsTheSameAllowance()
    {
        await using var host = await AdminHost.StartAsync(configure: s =>
        {
            s["Admin:LoginFailuresPerWindow"] = "2";
            s["Admin:LoginFailureWindow"] = "01:00:00";
        });
        using var client = new AdminHttpClient(host);
        for (var i = 1; i <= 2; i++)
        {
            using var wrong = await client.GetAsync("/admin/api/findings", bearer: $"wrong-bearer-token-{i}");
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        using var throttled = await client.GetAsync("/admin/api/findings", bearer: "wrong-bearer-token-3");
        Assert.That(throttled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }
}
