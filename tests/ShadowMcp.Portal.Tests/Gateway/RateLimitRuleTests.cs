using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// Rate-limit rules partition their token buckets as configured: by user, by group (all its members share one
/// bucket) or by tool (all callers share it); a rule for one group or tool leaves every other call alone.
/// The burst is small and the rate slow (1/min), so no bucket refills during a test.
/// </summary>
public sealed class RateLimitRuleTests
{
    private static readonly PortalCaller Alice = new("alice", ["contractors"], null, null);
    private static readonly PortalCaller Bob = new("bob", ["contractors"], null, null);
    private static readonly PortalCaller Carol = new("carol", ["engineering"], null, null);

    private static CallAdmission Admission(RateLimitRule rule)
    {
        var config = new PortalConfig();
        config.Portal.Limits.Rates.Add(rule);
        return new CallAdmission(config, TimeProvider.System);
    }

    private static async Task<bool> Admitted(CallAdmission admission, PortalCaller caller, string tool)
    {
        try
        {
            using var lease = await admission.AdmitAsync(caller, "github", tool, CancellationToken.None);
            return true;
        }
        catch (PortalRefusal e) when (e.Outcome == CallOutcome.RateLimited)
        {
            return false;
        }
    }

    [Test]
    public async Task ByGroup_MembersShareOneBucket_OtherGroupsAreNotCounted()
    {
        await using var admission = Admission(new RateLimitRule { By = "group", Group = "contractors", PerMinute = 1, Burst = 2 });
        Assert.That(await Admitted(admission, Alice, "github_search"), Is.True);
        Assert.That(await Admitted(admission, Bob, "github_search"), Is.True);
        Assert.That(await Admitted(admission, Alice, "github_search"), Is.False, "the group's two calls are spent");
        Assert.That(await Admitted(admission, Bob, "github_issues"), Is.False, "whoever in the group, whatever tool");
        Assert.That(await Admitted(admission, Carol, "github_search"), Is.True, "another group is not limited");
    }

    [Test]
    public async Task ByTool_EveryCallerSharesTheToolsBucket_OtherToolsAreNotCounted()
    {
        await using var admission = Admission(new RateLimitRule { By = "tool", Tool = "github_*", PerMinute = 1, Burst = 2 });
        Assert.That(await Admitted(admission, Alice, "github_search"), Is.True);
        Assert.That(await Admitted(admission, Carol, "github_search"), Is.True);
        Assert.That(await Admitted(admission, Bob, "github_search"), Is.False, "the tool's two calls are spent");
        Assert.That(await Admitted(admission, Bob, "github_issues"), Is.True, "each tool has its own bucket");
        Assert.That(await Admitted(admission, Bob, "jira_search"), Is.True, "the rule does not apply");
    }

    [Test]
    public async Task RateLimited_RefusalSaysWhichRuleAndWhenToRetry()
    {
        await using var admission = Admission(new RateLimitRule { By = "user", PerMinute = 1, Burst = 1 });
        Assert.That(await Admitted(admission, Alice, "github_search"), Is.True);
        var e = Assert.ThrowsAsync<PortalRefusal>(() => admission.AdmitAsync(Alice, "github", "github_search", CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("1/min per user").And.Contain("retry after"));
        Assert.That(await Admitted(admission, Bob, "github_search"), Is.True, "another user has a bucket of their own");
    }
}
