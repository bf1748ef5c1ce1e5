using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ShadowMcp.Admin.Sources;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Cli.Hosting;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// Hostile wire values through the real pipeline (a pcap scanned into SQLite, host inventory rows, triage typed into
/// the form, a report generated from it) onto every admin page, in Chromium. Each page is loaded twice: once with the
/// CSP bypassed, so only the encoding stands between a payload and the page, and once as served, where the CSP must
/// also report no violation. A payload that ran sets <c>window.__pwned</c> or loads something; a page that shows them
/// makes no subresource request at all, has one script (its own) and no event-handler attribute.
/// </summary>
[Category("Integration")]
internal sealed class HostilePageTests : BrowserTest
{
    private const string Week = "2026-W47";

    protected override Func<string, string, IEnforcementAdminSource>? Enforcer => (directory, db) =>
    {
        var hosts = Path.Combine(directory, "hosts");
        File.WriteAllText(hosts, "127.0.0.1 localhost\n");
        var policy = Path.Combine(directory, "enforce.yaml");
        File.WriteAllText(policy,
            "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.1\nmode: block\nbackends:\n"
            + $"  - type: hosts\n    path: {hosts}\n");
        return new EnforcementDataSources(policy, db, () => [], TimeProvider.System);
    };

    protected override async Task<AdminHost> CreateHostAsync()
    {
        var host = await AdminHost.StartAsync(enforcer: Enforcer);
        var db = Path.Combine(host.Directory, "store.db");
        var pcap = Path.Combine(host.Directory, "hostile.pcap");
        HostileTraffic.Write(pcap);
        HostileTraffic.ScanInto(pcap, db);
        HostileStoreRows.Add(db);
        return host;
    }

    [SetUp]
    public Task SignInAsync() => LoginAsync("/findings");

    [Test]
    public async Task Pipeline_HostileValuesReachTheStore()
    {
        // Guards the other tests: the payloads must be on the pages for "nothing ran" to mean anything.
        await Page.GotoAsync(Host.Url("/findings?q=" + Uri.EscapeDataString("window.__pwned")));
        var text = await Page.InnerTextAsync("main");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain(Payloads.Script), "serverInfo name from the capture");
            Assert.That(text, Does.Contain(Payloads.DoubleQuote));
            Assert.That(text, Does.Contain(HostileTraffic.CompactKey), "Host header and path from the capture");
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task FindingsListAndViews_NothingRuns(bool bypassCsp)
    {
        var paths = new List<string>
        {
            "/findings", "/findings?group=server", "/findings?group=client", "/findings?sort=server&dir=asc",
            // Reflected query values, each through its own parameter.
            "/findings?q=" + Q(Payloads.Script) + "&verdict=" + Q(Payloads.DoubleQuote) + "&from=" + Q(Payloads.SingleQuote)
                + "&to=" + Q(Payloads.Backtick) + "&sort=" + Q(Payloads.Css) + "&dir=" + Q(Payloads.ScriptData)
                + "&group=" + Q(Payloads.Entities) + "&status=" + Q(Payloads.JsUrl) + "&basis=" + Q(Payloads.DataUrl) + "&page=" + Q(Payloads.Script),
        };
        await CheckPagesAsync(bypassCsp, paths);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task FindingDetails_NothingRuns(bool bypassCsp)
    {
        await CheckPagesAsync(bypassCsp, await HostileFindingPathsAsync());
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task HostsPortalAuditAndErrors_NothingRuns(bool bypassCsp)
    {
        Host.Portal!.Entries.Add(new AuditEntryView(8, HostileStoreRows.At, Payloads.Script, Payloads.DoubleQuote, Payloads.SingleQuote,
            "denied", Payloads.Css, Payloads.Backtick));
        await CheckPagesAsync(bypassCsp,
        [
            "/hosts", "/portal", "/audit", "/enforcement",
            "/no-such-page" + Q(Payloads.Script), "/findings/" + Q(Payloads.DoubleQuote), "/reports/view/" + Q(Payloads.Script + ".html"),
            "/reports/file/" + Q(Payloads.DoubleQuote),
        ]);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task LoginPage_ReflectedReturnUrl_NothingRuns(bool bypassCsp)
    {
        await CheckPagesAsync(bypassCsp,
        [
            "/login?returnUrl=" + Q("/admin/findings" + Payloads.DoubleQuote),
            "/login?returnUrl=" + Q(Payloads.JsUrl),
            "/login?returnUrl=" + Q("/admin/" + Payloads.Script + Payloads.SingleQuote + Payloads.Backtick),
        ], signedIn: false);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task TriageTypedValues_NothingRuns(bool bypassCsp)
    {
        var detail = (await HostileFindingPathsAsync())[0];
        await Page.GotoAsync(Host.Url(detail));
        await Page.FillAsync("input[name=owner]", Payloads.DoubleQuote[..Math.Min(Payloads.DoubleQuote.Length, 100)]);
        await Page.FillAsync("textarea[name=note]", string.Concat(Payloads.All));
        await Page.Locator("section[data-test=triage] form button[type=submit]").First.ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await CheckPagesAsync(bypassCsp, [detail, "/findings?status=new", "/findings"]);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task EnforcementPlanOfHostileFindings_NothingRuns(bool bypassCsp)
    {
        await Page.GotoAsync(Host.Url("/enforcement"));
        await Page.ClickAsync("#plan");
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.That(await Page.InnerTextAsync("main"), Does.Contain("rogue.test"), "the plan names the hostile servers' names");
        await CheckPagesAsync(bypassCsp, ["/enforcement"]);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task WeeklyReportOfHostileFindings_NothingRuns(bool bypassCsp)
    {
        await Page.GotoAsync(Host.Url("/reports"));
        await Page.FillAsync("#week", Week);
        await Page.ClickAsync("form.filters button[type=submit]");
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var html = Directory.GetFiles(Host.ReportsDirectory, "*.html").Select(Path.GetFileName).Single()!;
        Assert.That(File.ReadAllText(Path.Combine(Host.ReportsDirectory, html)), Does.Contain("onerror="), "the report carries the payloads");
        await CheckPagesAsync(bypassCsp, ["/reports", "/reports/view/" + html, "/reports/file/" + html], frames: true);
    }

    [Test]
    public async Task VeryLongName_DoesNotPushThePageWiderThanTheWindow()
    {
        // A 6,000-character server name must wrap: a page wider than the window hides the verdict and the buttons.
        await Page.GotoAsync(Host.Url("/findings?q=" + HostileTraffic.LongServer));
        var detail = await Page.Locator("table a.mono[href*='/findings/']").First.GetAttributeAsync("href");
        foreach (var path in new[] { "/findings", "/findings?group=server", "/findings?group=client", detail!["/admin".Length..], "/enforcement" })
        {
            await Page.GotoAsync(Host.Url(path));
            var (scroll, window) = (await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), await Page.EvaluateAsync<int>("() => window.innerWidth"));
            Assert.That(scroll, Is.LessThanOrEqualTo(window), $"{path} is {scroll}px wide in a {window}px window");
        }
    }

    [Test]
    public async Task CsvExports_NoCellStartsAFormula()
    {
        await Page.GotoAsync(Host.Url("/reports"));
        await Page.FillAsync("#week", Week);
        await Page.ClickAsync("form.filters button[type=submit]");
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var report = Directory.GetFiles(Host.ReportsDirectory, "*.csv").Select(Path.GetFileName).First()!;
        foreach (var path in new[] { "/findings.csv", "/reports/file/" + report })
        {
            var response = await Page.APIRequest.GetAsync(Host.Url(path));
            Assert.That(response.Status, Is.EqualTo(200), path);
            var csv = await response.TextAsync();
            Assert.That(csv, Does.Contain("HYPERLINK"), $"{path} carries the formulas");
            // As a spreadsheet splits it: by comma, or by semicolon where that is the list separator; quotes respected.
            foreach (var separator in new[] { ',', ';' })
            {
                var formulas = Cells(csv, separator).Where(c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@' or '\t' or '\r').ToList();
                Assert.That(formulas, Is.Empty, $"{path} split at '{separator}' has cells that start a formula");
            }
        }
    }

    /// <summary>RFC 4180 cells with the given separator: a quoted cell may hold separators, quotes ("") and line breaks.</summary>
    private static IEnumerable<string> Cells(string csv, char separator)
    {
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < csv.Length && csv[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"' && cell.Length == 0) quoted = true;
            else if (c == separator || c == '\n')
            {
                yield return cell.ToString().TrimEnd('\r');
                cell.Clear();
            }
            else cell.Append(c);
        }
        if (cell.Length > 0) yield return cell.ToString();
    }

    private static string Q(string value) => Uri.EscapeDataString(value);

    /// <summary>The detail pages of the findings the hostile capture made (their endpoints are on 10.0.7.x).</summary>
    private async Task<List<string>> HostileFindingPathsAsync()
    {
        await Page.GotoAsync(Host.Url("/findings?q=10.0.7."));
        var hrefs = await Page.Locator("table a.mono[href*='/findings/']").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        Assert.That(hrefs, Has.Length.GreaterThanOrEqualTo(Payloads.All.Length), "every hostile server became a finding");
        return [.. hrefs.Select(h => h["/admin".Length..])];
    }

    private async Task CheckPagesAsync(bool bypassCsp, IReadOnlyList<string> paths, bool signedIn = true, bool frames = false)
    {
        var context = await SharedBrowser.Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = bypassCsp });
        try
        {
            context.SetDefaultTimeout(60_000);
            if (signedIn)
                await context.AddCookiesAsync((await Page.Context.CookiesAsync()).Select(c => new Cookie
                {
                    Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
                }));
            await context.AddInitScriptAsync("""
                window.__violations = [];
                document.addEventListener('securitypolicyviolation', e =>
                  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
                """);
            var page = await context.NewPageAsync();
            var loads = new List<string>();
            var dialogs = new List<string>();
            page.Request += (_, r) =>
            {
                if (r.ResourceType != "document" || r.Url.Contains("/pwned", StringComparison.Ordinal)) loads.Add(r.ResourceType + " " + r.Url);
            };
            page.Dialog += async (_, d) =>
            {
                dialogs.Add(d.Message);
                await d.DismissAsync();
            };
            foreach (var path in paths)
            {
                loads.Clear();
                var response = await page.GotoAsync(Host.Url(path));
                Assert.That(response, Is.Not.Null, path);
                await page.WaitForLoadStateAsync(LoadState.Load);
                var what = $"{path} (CSP {(bypassCsp ? "bypassed" : "on")})";
                foreach (var frame in frames ? page.Frames : [page.MainFrame])
                {
                    {
                        Assert.That(await frame.EvaluateAsync<string?>("() => window.__pwned === undefined ? null : String(window.__pwned)"), Is.Null,
                            $"a payload ran on {what}");
                        Assert.That(await frame.EvaluateAsync<string[]>(
                                "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name))"),
                            Is.Empty, $"event-handler attributes on {what}");
                        Assert.That(await frame.EvaluateAsync<string[]>(
                                "() => [...document.querySelectorAll('a[href], iframe[src], form[action]')].map(e => e.href || e.src || e.action).filter(u => !u.startsWith(location.origin) && u !== 'about:srcdoc')"),
                            Is.Empty, $"links or frames leaving the admin origin on {what}");
                        Assert.That(await frame.EvaluateAsync<string[]>("() => window.__violations || []"), Is.Empty, $"CSP violations on {what}");
                        Assert.That(await frame.EvaluateAsync<int>("() => document.querySelectorAll('[style], img, svg:not(.chart), object, embed').length"), Is.Zero,
                            $"injected elements on {what}");
                    }
                }
                Assert.That(await page.MainFrame.EvaluateAsync<int>("() => document.scripts.length"), Is.LessThanOrEqualTo(1), $"extra scripts on {what}");
                Assert.That(loads, Is.Empty, $"subresource loads on {what}");
                Assert.That(dialogs, Is.Empty, $"dialogs on {what}");
                var text = await page.MainFrame.EvaluateAsync<string>("() => document.documentElement.innerText");
                Assert.That(Regex.Matches(text, "[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]").Select(m => $"U+{(int)m.Value[0]:X4}"), Is.Empty,
                    $"invisible or bidi control characters rendered on {what}");
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
