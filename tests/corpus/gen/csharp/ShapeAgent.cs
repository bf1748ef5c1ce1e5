using ModelContextProtocol.Client;
using ModelContextProtocol;

namespace ShadowMcp.Corpus;

/// <summary>
/// The shape corpus' agent (--seed S): the same seeded mix as the Node agents (../ts/agent-mix.mjs), so a C# session
/// does not act like a fixture either: think time log-uniform around --think-ms (median, default 400 ms: M/8 to 8M,
/// at most 4 s), arguments of varied length and content, and tools, lists and reads in varied order and mix.
/// --calls N mixed steps after a first one (--parallel K of them at a time), --big, --reads, --progress, --idle-ms as the Node agent.
/// </summary>
internal sealed class ShapeAgent(GenArgs args)
{
    private static readonly string[] Words = ("the a of to in for on with from by and or not file src lib test main index " +
        "config readme docs api user order invoice ticket build deploy error warning log metric query result page table row " +
        "column field value summary report draft review fix update create delete list find search open close read write " +
        "parse format function class method module package version branch commit merge issue note 42 2026 17 0.5 " +
        "/home/dev/project src/main.ts lib/util.py \"quoted text\" {\"k\":1} https://example.test/a/b?q=1 α β naïve café").Split(' ');

    private readonly Random _random = new(int.Parse(args.Get("seed", "1"), System.Globalization.CultureInfo.InvariantCulture));
    private readonly double _medianMs = Math.Max(1, Number(args, "think-ms", 400));

    private sealed record Step(string Kind, string Name, Dictionary<string, object?>? Arguments = null, bool Progress = false);

    public async Task RunAsync(McpClient client)
    {
        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        var resources = client.ServerCapabilities?.Resources is not null;
        var prompts = client.ServerCapabilities?.Prompts is not null;
        // Some hosts list resources and prompts right after connecting, before the model thinks.
        if (resources && _random.NextDouble() < 0.35) await RunAsync(client, new Step("list", "resources"));
        if (prompts && _random.NextDouble() < 0.35) await RunAsync(client, new Step("list", "prompts"));

        var plan = Plan(tools, resources, prompts);
        var parallel = Math.Max(1, (int)Number(args, "parallel", 1));
        for (var i = 0; i < plan.Count; i += parallel)
        {
            await Task.Delay(ThinkMs());
            await Task.WhenAll(plan.Skip(i).Take(parallel).Select(step => RunAsync(client, step)));
        }

        await Task.Delay((int)Math.Round(Number(args, "idle-ms", 0) * (0.5 + _random.NextDouble())));
    }

    private List<Step> Plan(List<string> tools, bool resources, bool prompts)
    {
        var fetch = tools.Contains("fetch_doc");
        var others = tools.Where(t => t is not ("echo" or "fetch_doc" or "long_task")).ToList();
        var choices = new List<(int Weight, Func<Step> Make)>
        {
            (5, () => Call("echo", new() { ["message"] = Text(300) })),
            (fetch ? 2 : 0, () => Call("fetch_doc", new() { ["size"] = (int)Math.Round(LogUniform(200, 40_000)) })),
        };
        choices.AddRange(others.Select(t => (1, (Func<Step>)(() => t == "add_numbers"
            ? Call(t, new() { ["a"] = _random.Next(-1000, 100_001), ["b"] = _random.Next(0, 1000) })
            : Call(t, new() { ["query"] = Text(12) })))));
        choices.Add((1, () => new Step("list", "tools")));
        choices.Add((resources ? 1 : 0, () => new Step("list", "resources")));
        choices.Add((prompts ? 1 : 0, () => new Step("list", "prompts")));
        var total = choices.Sum(c => c.Weight);
        Step Pick()
        {
            var r = _random.NextDouble() * total;
            foreach (var (weight, make) in choices)
            {
                if ((r -= weight) < 0 && weight > 0) return make();
            }

            return choices[0].Make();
        }

        // The unseeded client makes one call before its --calls: the plan keeps that count.
        var plan = Enumerable.Range(0, (int)Number(args, "calls", 0) + 1).Select(_ => Pick()).ToList();
        var big = Number(args, "big", 0);
        if (big > 0 && fetch) plan.Insert(_random.Next(plan.Count + 1), Call("fetch_doc", new() { ["size"] = (int)Math.Round(big * (0.5 + _random.NextDouble())) }));
        var steps = (int)Number(args, "progress", 0);
        if (steps > 0 && tools.Contains("long_task"))
        {
            plan.Insert(_random.Next(plan.Count + 1), new Step("call", "long_task", new()
            {
                ["steps"] = _random.Next(Math.Max(2, steps - 2), steps + 4),
                ["delay_ms"] = (int)Math.Round(LogUniform(60, 400)),
            }, Progress: true));
        }

        for (var i = 0; i < (int)Number(args, "reads", 0) && fetch; i++)
        {
            plan.Add(Call("fetch_doc", new() { ["size"] = (int)Math.Round(LogUniform(8000, 120_000)) }));
        }

        return plan;
    }

    private static async Task RunAsync(McpClient client, Step step)
    {
        switch (step.Kind, step.Name)
        {
            case ("list", "tools"): await client.ListToolsAsync(); break;
            case ("list", "resources"): await client.ListResourcesAsync(); break;
            case ("list", "prompts"): await client.ListPromptsAsync(); break;
            default:
                await client.CallToolAsync(step.Name, step.Arguments,
                    step.Progress ? new Progress<ProgressNotificationValue>(_ => { }) : null);
                break;
        }
    }

    private static Step Call(string name, Dictionary<string, object?> arguments) => new("call", name, arguments);

    private int ThinkMs() => (int)Math.Round(Math.Clamp(LogUniform(_medianMs / 8, _medianMs * 8), 20, 4000));

    private double LogUniform(double lo, double hi) => Math.Exp(Math.Log(lo) + (_random.NextDouble() * (Math.Log(hi) - Math.Log(lo))));

    private string Text(int maxWords) =>
        string.Join(' ', Enumerable.Range(0, (int)Math.Round(LogUniform(1, maxWords))).Select(_ => Words[_random.Next(Words.Length)]));

    private static double Number(GenArgs args, string key, double fallback) =>
        double.Parse(args.Get(key, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
}
