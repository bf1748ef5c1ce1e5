// Code-mode measurements: o200k tokens of tools/list in normal vs code mode, sandbox start-up latency, and the
// cost of tool calls made from code. Run: dotnet run -c Release --project bench/codemode
// With --hostile [--seconds N]: plain-call latency beside 20 hostile executions (see HostileLoadBench);
// --latency [--seconds N]: only what a trivial execute adds over a direct call.
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;

if (args.Contains("--hostile") || args.Contains("--latency"))
{
    await HostileLoadBench.RunAsync(args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(10), latencyOnly: !args.Contains("--hostile"));
    return;
}

var tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");
int Tokens(object value) => tokenizer.CountTokens(JsonSerializer.Serialize(value, McpJsonUtilities.DefaultOptions));

var codeMode = Tokens(new ListToolsResult { Tools = [CodeModeTools.SearchDefinition, CodeModeTools.ExecuteDefinition] });
Console.WriteLine("| tools | normal tools/list (o200k tokens) | code mode | reduction |");
Console.WriteLine("| ---: | ---: | ---: | ---: |");
foreach (var n in new[] { 10, 52, 500, 2_500, 10_000 })
{
    var normal = Tokens(new ListToolsResult { Tools = ToolGenerator.Generate(n) });
    Console.WriteLine($"| {n:N0} | {normal:N0} | {codeMode:N0} | {100.0 * (normal - codeMode) / normal:0.000}% |");
}

var settings = new CodeModeSettings();
var ids = new Dictionary<string, string> { ["svc_echo"] = "svc_echo" };
static Task<string> Direct(string name, string json, CancellationToken ct) => Task.FromResult(Envelope.Value(JsonSerializer.SerializeToNode(json.Length)));

SandboxOutcome RunScript(string code) => JsSandbox.Run(new SandboxRequest(code, SandboxMode.Execute, ids, () => "[]", _ => "", Direct), settings, CancellationToken.None);

for (var i = 0; i < 200; i++) RunScript("async () => 1");
var samples = new List<double>();
for (var i = 0; i < 2_000; i++)
{
    var sw = Stopwatch.StartNew();
    var outcome = RunScript("async () => 1 + 1");
    samples.Add(sw.Elapsed.TotalMilliseconds);
    if (outcome.ResultJson != "2") throw new InvalidOperationException(outcome.Error);
}
samples.Sort();
Console.WriteLine();
Console.WriteLine($"engine start + trivial script: p50 {samples[samples.Count / 2]:0.000} ms, p99 {samples[(int)(samples.Count * 0.99)]:0.000} ms");

const string hundred = "async () => { let s = 0; for (let i = 0; i < 100; i++) s += await codemode.svc_echo({ i }); return s; }";
settings.MaxToolCalls = 1_000;
for (var i = 0; i < 20; i++) RunScript(hundred);
var fromCode = Stopwatch.StartNew();
for (var i = 0; i < 50; i++) RunScript(hundred);
var perRunCode = fromCode.Elapsed.TotalMilliseconds / 50;
var direct = Stopwatch.StartNew();
for (var r = 0; r < 50; r++)
    for (var i = 0; i < 100; i++) await Direct("svc_echo", JsonSerializer.Serialize(new { i }), CancellationToken.None);
var perRunDirect = direct.Elapsed.TotalMilliseconds / 50;
Console.WriteLine($"100 sequential in-process tool calls: from code {perRunCode:0.00} ms, direct {perRunDirect:0.00} ms, overhead {(perRunCode - perRunDirect) / 100 * 1000:0} µs per call");
