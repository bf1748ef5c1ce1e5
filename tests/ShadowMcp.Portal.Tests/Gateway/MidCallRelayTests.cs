using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

// The caller side speaks 2025-11-25 logging like today's clients (deprecated from 2026-07-28, SEP-2577).
#pragma warning disable MCP9005

/// <summary>
/// What an upstream says in the middle of a call (progress, a question for the user, a request for the
/// caller's model, log lines) reaches the caller that made the call, and nobody else. Real C# SDK client,
/// portal and upstream on loopback.
/// </summary>
[Category("Integration")]
public sealed class MidCallRelayTests
{
    private UpstreamServer _upstream = null!;
    private PortalFixture _portal = null!;

    [SetUp]
    public async Task SetUp()
    {
        _upstream = await UpstreamServer.StartAsync([.. UpstreamServer.DefaultTools(), .. UpstreamServer.RelayTools()], withPrompts: true);
        _portal = await StartPortalAsync(_ => { });
    }

    private Task<PortalFixture> StartPortalAsync(Action<UpstreamConfig> configure, TimeProvider? time = null)
    {
        var config = PortalFixture.Config1(("alpha", _upstream.McpUrl));
        configure(config.Upstreams[0]);
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        return PortalFixture.StartAsync(config, time: time);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<McpClient> ConnectAsync(McpClientHandlers? handlers = null, string protocol = "2025-11-25", string? token = null)
    {
        // The first catalog build is itself a change; let it happen before the client listens for changes.
        await _portal.Registry.EnsureRefreshedAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_portal.McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token ?? _portal.CreateToken("dev")}" },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "relay-tests", Version = "1.0.0" },
            ProtocolVersion = protocol,
            Handlers = handlers ?? new McpClientHandlers(),
        });
    }

    [TestCase("2025-11-25")]
    [TestCase("2026-07-28")]
    public async Task Progress_FromTheUpstream_ReachesTheCallerInOrder_BeforeTheResult(string protocol)
    {
        await using var client = await ConnectAsync(protocol: protocol);
        var seen = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(v => { lock (seen) seen.Add(v); });

        var result = await client.CallToolAsync("alpha_progress", new Dictionary<string, object?>(), progress);

        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("progress done"));
        lock (seen)
        {
            Assert.That(seen.Select(v => v.Message).ToList(), Is.EqualTo(new[] { "step 1", "step 2", "step 3" }),
                string.Join(", ", seen.Select(v => $"{v.Progress}/{v.Total} {v.Message}")));
            Assert.That(seen.Select(v => (double)v.Progress).ToList(), Is.EqualTo(new[] { 1.0, 2.0, 3.0 }));
        }
    }

    [Test]
    public async Task ProgressMessages_PassTheServersResultsDlp()
    {
        await using var client = await ConnectAsync();
        var messages = new List<string?>();

        await client.CallToolAsync("alpha_progress", new Dictionary<string, object?> { ["text"] = "leak" },
            new SynchronousProgress(v => { lock (messages) messages.Add(v.Message); }));

        lock (messages)
        {
            Assert.That(messages, Has.Count.EqualTo(3));
            Assert.That(messages, Has.None.Contains("AKIAIOSFODNN7EXAMPLE"));
            Assert.That(messages, Has.All.Contains("[REDACTED:aws-access-key]"));
        }
    }

    [Test]
    public async Task Elicitation_FromTheUpstream_IsAnsweredByTheCallingClient()
    {
        ElicitRequestParams? asked = null;
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                asked = request;
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement("teal") },
                });
            },
        });

        var result = await client.CallToolAsync("alpha_ask", new Dictionary<string, object?>());

        Assert.That(asked?.Message, Is.EqualTo("Which colour should the fixture use?"));
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("answer: accept teal"));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        Assert.That(db.Audit.Any(a => a.Method == "elicitation/create" && a.Server == "alpha" && a.Outcome == "accept"), Is.True,
            "the relayed question is in the audit log");
    }

    [Test]
    public async Task Elicitation_AnsweredAfterTheUpstreamTimeout_StillCompletes_TheClockStopsWhileAHumanThinks()
    {
        // The portal's deadlines run on a fake clock: the human "thinks" for 15 timeouts by moving it while the
        // question is open, so the test waits on signals, never on the machine's speed.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await _portal.DisposeAsync();
        _portal = await StartPortalAsync(u => u.TimeoutSeconds = 2, time);
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            ElicitationHandler = (_, _) =>
            {
                time.Advance(TimeSpan.FromSeconds(30)); // the upstream's clock is stopped while it waits on us
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement("slate") },
                });
            },
        });

        var result = await client.CallToolAsync("alpha_ask", new Dictionary<string, object?>());

        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("answer: accept slate"));

        // A slow tool with nobody to wait for still times out once the clock passes the timeout.
        var received = ReceivedCount();
        var slow = client.CallToolAsync("alpha_slow", new Dictionary<string, object?> { ["text"] = "600000" }).AsTask();
        await WaitUntilAsync(() => ReceivedCount() > received);
        time.Advance(TimeSpan.FromSeconds(3));
        var e = Assert.CatchAsync<McpProtocolException>(async () => await slow);
        Assert.That(e!.Message, Does.Contain("no answer within 2s"));
    }

    private int ReceivedCount()
    {
        lock (_upstream.ReceivedArguments) return _upstream.ReceivedArguments.Count;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only
        while (!condition()) await Task.Delay(10, guard.Token);
    }

    [Test]
    public async Task Sampling_FromTheUpstream_UsesTheCallingClientsModel()
    {
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            SamplingHandler = (request, _, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Model = "test-model",
                Role = Role.Assistant,
                Content = [new TextContentBlock { Text = "short: " + ((TextContentBlock)request!.Messages[0].Content[0]).Text }],
            }),
        });

        var result = await client.CallToolAsync("alpha_summarize", new Dictionary<string, object?> { ["text"] = "a long report" });

        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("sampled: short: Summarize: a long report"));
    }

    [Test]
    public async Task Sampling_SwitchedOffForAServer_IsNeverPutToTheCallersModel()
    {
        await _portal.DisposeAsync();
        _portal = await StartPortalAsync(u => u.Relay.Sampling = false);
        var asked = false;
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            SamplingHandler = (_, _, _) =>
            {
                asked = true;
                return ValueTask.FromResult(new CreateMessageResult { Model = "m", Role = Role.Assistant, Content = [new TextContentBlock { Text = "x" }] });
            },
        });

        var result = await client.CallToolAsync("alpha_summarize", new Dictionary<string, object?> { ["text"] = "secret plans" })
            .AsTask().WaitAsync(TimeSpan.FromSeconds(8));

        Assert.That(asked, Is.False, "the upstream was told the caller cannot sample");
        Assert.That(result.IsError, Is.True);
    }

    [Test]
    public async Task PrivateSessions_AreCappedPerUpstream_AndTheSlotComesBackWhenTheCallerLeaves()
    {
        await _portal.DisposeAsync();
        _portal = await StartPortalAsync(u => u.MaxPrivateSessions = 1);
        McpClientHandlers Answering(string colour) => new()
        {
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement(colour) },
            }),
        };
        var first = await ConnectAsync(Answering("teal"));
        await using var second = await ConnectAsync(Answering("amber"));

        var firstResult = await first.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        var secondResult = await second.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        Assert.That(((TextContentBlock)firstResult.Content[0]).Text, Is.EqualTo("answer: accept teal"));
        Assert.That(secondResult.IsError, Is.True, "over the cap the call shares the portal's session, which cannot ask");

        await first.DisposeAsync(); // ends the first caller's session, and with it its private upstream session
        var upstream = _portal.Registry.Find("alpha")!;
        await WaitFor(() => upstream.PrivateSessions == 0);
        var again = await second.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        Assert.That(((TextContentBlock)again.Content[0]).Text, Is.EqualTo("answer: accept amber"));
    }

    [Test]
    public async Task PrivateSessions_AreCappedPerUser_TheUsersLeastRecentlyUsedOneMakesRoom()
    {
        await _portal.DisposeAsync();
        _portal = await StartPortalAsync(u => u.MaxPrivateSessionsPerUser = 1);
        var answering = new McpClientHandlers
        {
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement("red") },
            }),
        };
        var greedy = _portal.CreateToken("dev");
        await using var one = await ConnectAsync(answering, token: greedy);
        await using var two = await ConnectAsync(answering, token: greedy);
        await using var someoneElse = await ConnectAsync(answering);
        var upstream = _portal.Registry.Find("alpha")!;

        var first = await one.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        var second = await two.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        var other = await someoneElse.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        var firstAgain = await one.CallToolAsync("alpha_ask", new Dictionary<string, object?>());

        Assert.That(((TextContentBlock)first.Content[0]).Text, Is.EqualTo("answer: accept red"));
        Assert.That(((TextContentBlock)second.Content[0]).Text, Is.EqualTo("answer: accept red"), "the first one's idle session made room");
        Assert.That(((TextContentBlock)other.Content[0]).Text, Is.EqualTo("answer: accept red"), "another user has a quota of their own");
        Assert.That(((TextContentBlock)firstAgain.Content[0]).Text, Is.EqualTo("answer: accept red"));
        Assert.That(upstream.PrivateSessions, Is.EqualTo(2), "one per user: the cap still holds");
    }

    [Test]
    public async Task SharedToken_With16PrivateSessions_A17thStillGetsSamplingElicitationAndLogs()
    {
        var shared = _portal.CreateToken("dev");
        var logs = new List<string>();
        McpClientHandlers Handlers() => new()
        {
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement("blue") },
            }),
            SamplingHandler = (_, _, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Content = [new TextContentBlock { Text = "model says hi" }],
                Model = "test-model",
                Role = Role.Assistant,
            }),
        };
        var clients = new List<McpClient>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                var c = await ConnectAsync(Handlers(), token: shared);
                clients.Add(c);
                await c.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
            }
            var upstream = _portal.Registry.Find("alpha")!;
            Assert.That(upstream.PrivateSessions, Is.EqualTo(16));

            var seventeenth = await ConnectAsync(Handlers(), token: shared);
            clients.Add(seventeenth);
            seventeenth.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (n, _) =>
            {
                lock (logs) logs.Add(n.Params!.ToJsonString());
                return ValueTask.CompletedTask;
            });
            await seventeenth.SetLoggingLevelAsync(LoggingLevel.Info);
            var asked = await seventeenth.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
            var sampled = await seventeenth.CallToolAsync("alpha_summarize", new Dictionary<string, object?> { ["text"] = "x" });
            var chatty = await seventeenth.CallToolAsync("alpha_chatty", new Dictionary<string, object?>());

            Assert.That(((TextContentBlock)asked.Content[0]).Text, Is.EqualTo("answer: accept blue"));
            Assert.That(((TextContentBlock)sampled.Content[0]).Text, Is.EqualTo("sampled: model says hi"));
            Assert.That(((TextContentBlock)chatty.Content[0]).Text, Is.EqualTo("chatty done"));
            await WaitFor(() => { lock (logs) return logs.Any(l => l.Contains("working on it")); });
            Assert.That(upstream.PrivateSessions, Is.EqualTo(16), "the cap holds: the least recently used one was closed");
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Test]
    public async Task IdlePrivateSessions_AreClosed_AndReopenOnTheNextCall()
    {
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["colour"] = JsonSerializer.SerializeToElement("gold") },
            }),
        });
        var upstream = _portal.Registry.Find("alpha")!;
        await client.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        Assert.That(upstream.PrivateSessions, Is.EqualTo(1));

        var session = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<ShadowMcp.Portal.Relay.SessionHub>(_portal.Services).Find(client.SessionId)!;
        await session.CloseIdleAsync(TimeSpan.Zero);
        Assert.That(upstream.PrivateSessions, Is.Zero, "the slot is given back");

        var again = await client.CallToolAsync("alpha_ask", new Dictionary<string, object?>());
        Assert.That(((TextContentBlock)again.Content[0]).Text, Is.EqualTo("answer: accept gold"));
        Assert.That(upstream.PrivateSessions, Is.EqualTo(1));
    }

    [Test]
    public async Task Elicitation_IsNotOffered_ToAnUpstream_WhenTheCallerCannotAnswer()
    {
        // The caller declared no elicitation: the upstream must learn at once that nobody can answer (its tool
        // fails), not wait for an answer that never comes.
        await using var client = await ConnectAsync();
        var result = await client.CallToolAsync("alpha_ask", new Dictionary<string, object?>()).AsTask().WaitAsync(TimeSpan.FromSeconds(8));
        Assert.That(result.IsError, Is.True);
    }

    [Test]
    public async Task Logs_FromTheUpstream_ReachTheCaller_AtItsLevel_NamedAndRedacted()
    {
        var logs = new List<LoggingMessageNotificationParams>();
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            NotificationHandlers =
            [
                new(NotificationMethods.LoggingMessageNotification, (n, _) =>
                {
                    lock (logs) logs.Add(JsonSerializer.Deserialize<LoggingMessageNotificationParams>(n.Params, McpJsonUtilities.DefaultOptions)!);
                    return ValueTask.CompletedTask;
                }),
            ],
        });
        await client.SetLoggingLevelAsync(LoggingLevel.Info);

        await client.CallToolAsync("alpha_chatty", new Dictionary<string, object?>());
        await WaitFor(() => { lock (logs) return logs.Count >= 2; });

        Assert.That(_upstream.LogLevelSet, Is.EqualTo(LoggingLevel.Info), "the caller's level is passed on");
        lock (logs)
        {
            // The SDK client hands notifications to handlers concurrently, so arrival order is not asserted.
            Assert.That(logs.Select(l => l.Level), Is.EquivalentTo(new[] { LoggingLevel.Info, LoggingLevel.Warning }), "no debug line below the level");
            Assert.That(logs, Has.All.Matches<LoggingMessageNotificationParams>(l => l.Logger == "alpha/fixture"));
            var warning = logs.Single(l => l.Level == LoggingLevel.Warning).Data.GetString();
            Assert.That(warning, Does.Not.Contain("AKIAIOSFODNN7EXAMPLE"), "results DLP (redact by default) applies to log lines");
            Assert.That(warning, Does.Contain("[REDACTED:aws-access-key]"));
        }
    }

    [Test]
    public async Task Logs_OfOneCallersCall_NeverReachAnotherCaller()
    {
        var othersLogs = 0;
        await using var other = await ConnectAsync(new McpClientHandlers
        {
            NotificationHandlers = [new(NotificationMethods.LoggingMessageNotification, (_, _) => { Interlocked.Increment(ref othersLogs); return ValueTask.CompletedTask; })],
        });
        await other.SetLoggingLevelAsync(LoggingLevel.Debug);
        var mine = 0;
        await using var caller = await ConnectAsync(new McpClientHandlers
        {
            NotificationHandlers = [new(NotificationMethods.LoggingMessageNotification, (_, _) => { Interlocked.Increment(ref mine); return ValueTask.CompletedTask; })],
        });
        await caller.SetLoggingLevelAsync(LoggingLevel.Debug);

        await caller.CallToolAsync("alpha_chatty", new Dictionary<string, object?>());
        await WaitFor(() => Volatile.Read(ref mine) >= 3);
        // The other caller's own call is the later event: its logs come after any the portal could have leaked.
        await other.CallToolAsync("alpha_chatty", new Dictionary<string, object?>());
        await WaitFor(() => Volatile.Read(ref othersLogs) >= 3);

        Assert.That(mine, Is.EqualTo(3));
        Assert.That(othersLogs, Is.EqualTo(3), "only the other caller's own three lines");
    }

    [Test]
    public async Task ToolListChanged_Upstream_IsPassedOnToConnectedCallers()
    {
        // Only a stateful (2025-11-25) upstream session can announce changes; 2026-07-28 upstreams are re-listed
        // on the refresh timer, and the same notification goes out when that finds a change.
        await _portal.DisposeAsync();
        _portal = await StartPortalAsync(u => u.ProtocolVersion = "2025-11-25");
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            NotificationHandlers = [new(NotificationMethods.ToolListChangedNotification, (_, _) => { changed.TrySetResult(); return ValueTask.CompletedTask; })],
        });
        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Does.Not.Contain("alpha_brand_new"));

        _upstream.ReplaceTools([.. UpstreamServer.DefaultTools(), .. UpstreamServer.RelayTools(), UpstreamServer.MakeTool("brand_new", "Just added", readOnly: true)]);
        await _upstream.NotifyToolsChangedAsync();

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Does.Contain("alpha_brand_new"));
    }

    [Test]
    public async Task Refresh_ThatChangesNothing_DoesNotTellCallersAnything()
    {
        var notifications = 0;
        await using var client = await ConnectAsync(new McpClientHandlers
        {
            NotificationHandlers = [new(NotificationMethods.ToolListChangedNotification, (_, _) => { Interlocked.Increment(ref notifications); return ValueTask.CompletedTask; })],
        });
        await client.ListToolsAsync();
        await _portal.Registry.RefreshAllAsync(CancellationToken.None);
        await _portal.Registry.RefreshAllAsync(CancellationToken.None);
        // A refresh that does change something is the later event: its one notice follows any spurious ones.
        _upstream.ReplaceTools([.. UpstreamServer.DefaultTools(), .. UpstreamServer.RelayTools(),
            UpstreamServer.MakeTool("brand_new", "Just added", readOnly: true)]);
        await _portal.Registry.RefreshAllAsync(CancellationToken.None);
        await WaitFor(() => Volatile.Read(ref notifications) >= 1);
        Assert.That(notifications, Is.EqualTo(1), "only the refresh that found a change told the caller");
    }

    [Test]
    public async Task ResourceTemplates_AreListed_AndReadsThatFitThemReachTheirServer()
    {
        await using var client = await ConnectAsync();
        var templates = await client.ListResourceTemplatesAsync();
        Assert.That(templates.Select(t => t.UriTemplate), Does.Contain("fixture://items/{id}"));

        var read = await client.ReadResourceAsync("fixture://items/42");
        Assert.That(((TextResourceContents)read.Contents[0]).Uri, Is.EqualTo("fixture://items/42"));

        var unknown = Assert.CatchAsync<McpProtocolException>(async () => await client.ReadResourceAsync("other://items/42"));
        Assert.That(unknown!.ErrorCode, Is.EqualTo(McpErrorCode.ResourceNotFound));
    }

    /// <summary>Polls a signal; the 60 s guard only stops a hang and fails the test.</summary>
    private static async Task WaitFor(Func<bool> condition)
    {
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(20, hangGuard.Token);
    }

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
