using System.CommandLine;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Core;
using ShadowMcp.Scanner.Shape;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp shape features|train|eval|score`: build the labelled feature table from captures with key logs, train
/// the shape model, evaluate it, and score a table with a given model (docs/shape-classifier.md). Retraining is `tests/corpus/shape/train.sh`.
/// </summary>
internal static class ShapeCommand
{
    public static Command Create() => new("shape", "Classify TLS flows without keys by their shape: corpus tools")
    {
        Features(), Train(), Eval(), Score(),
    };

    private static Command Features()
    {
        var files = new Argument<string[]>("files")
        {
            Arity = ArgumentArity.OneOrMore, Description = "pcap or pcapng files",
        };
        var keyLogs = KeyLogOptions.Create();
        var sessions = new Option<string?>("--sessions")
        {
            Description = "generator's sessions.csv (with --keylog); without it each flow's family is the capture's name",
        };
        var notMcp = new Option<string?>("--not-mcp")
        {
            Description = "a capture known to hold no MCP: no key log or plan, every TLS flow labelled not-mcp under this family",
        };
        var output = new Option<string>("--output", "-o") { Description = "feature table (CSV)", Required = true };
        var records = new Option<string?>("--records")
        {
            Description = "also write each flow's first records (c/s and length, '|' after 0.5 s of silence), for analysis",
        };
        var cmd = new Command("features", "Write the labelled feature table: shape features, labels from decryption")
        {
            files, sessions, output, records, notMcp,
        };
        cmd.Options.Add(keyLogs);
        cmd.SetAction(parse => (int)Guard(() =>
        {
            var classifier = ClassifierSetup.TryCreate(null, null, out var failure);
            if (classifier is null) return failure;
            ShapeFeatureExtractor extractor;
            if (parse.GetValue(notMcp) is { } family)
            {
                extractor = ShapeFeatureExtractor.KnownNotMcp(classifier, family);
            }
            else
            {
                var keyLog = KeyLogOptions.Load(parse.GetValue(keyLogs))
                    ?? throw new InvalidDataException("--keylog is required: labels come from decryption (or --not-mcp)");
                // Without a plan (a capture made elsewhere) each flow's family is the capture's name.
                extractor = new ShapeFeatureExtractor(classifier, keyLog,
                    parse.GetValue(sessions) is { } plan ? SessionPlan.Read(plan) : null);
            }
            using var writer = new StreamWriter(parse.GetValue(output)!);
            using var recordWriter = parse.GetValue(records) is { } recordsPath ? new StreamWriter(recordsPath) : null;
            writer.WriteLine(ShapeTable.Header(ShapeFeatures.Names));
            int mcp = 0, other = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                foreach (var (sample, session, flow) in extractor.Extract(file))
                {
                    writer.WriteLine(ShapeTable.Row(sample, session));
                    recordWriter?.WriteLine($"{sample.Flow} {sample.Family} {sample.ClientStack} {sample.Transport}: " +
                        RecordTrace(flow));
                    if (sample.IsMcp) mcp++;
                    else other++;
                }
            }
            Console.WriteLine($"{mcp} MCP flows, {other} non-MCP flows; left out: {extractor.Unlabelled} unreadable, " +
                $"{extractor.Unplanned} on ports not in the session plan");
            return ExitCode.Success;
        }));
        return cmd;
    }

    private static Command Train()
    {
        var table = new Argument<string>("table") { Description = "feature table from `shape features`" };
        var output = new Option<string>("--output", "-o") { Description = "model file to write", Required = true };
        var holdout = new Option<string?>("--holdout-out") { Description = "also write the held-out rows here (CSV)" };
        var kind = KindOption();
        var threshold = ThresholdOption();
        var cmd = new Command("train", "Train the shape model on all sessions but the held-out quarter")
        {
            table, output, holdout, kind, threshold,
        };
        cmd.SetAction(parse => (int)Guard(() =>
        {
            var rows = ShapeTable.Read(parse.GetValue(table)!, ShapeFeatures.Names);
            var train = rows.Where(r => !ShapeSplits.IsHeldOut(r.Session)).Select(r => r.Sample).ToList();
            var model = Fit(parse.GetValue(kind)!, train,
                $"{Path.GetFileName(parse.GetValue(table))}: {train.Count} flows, held-out sessions excluded",
                RuleOf(parse.GetValue(threshold)));
            model.Save(parse.GetValue(output)!);
            if (parse.GetValue(holdout) is { } holdoutPath)
            {
                var heldOut = rows.Where(r => ShapeSplits.IsHeldOut(r.Session))
                    .Select(r => ShapeTable.Row(r.Sample, r.Session));
                File.WriteAllLines(holdoutPath, new[] { ShapeTable.Header(ShapeFeatures.Names) }.Concat(heldOut));
            }
            Console.WriteLine($"trained on {train.Count} flows; threshold {model.Threshold}");
            return ExitCode.Success;
        }));
        return cmd;
    }

    private static Command Eval()
    {
        var table = new Argument<string>("table") { Description = "feature table from `shape features`" };
        var modelPath = new Option<string?>("--model") { Description = "model for the held-out split" };
        var kind = KindOption();
        var bySession = new Option<bool>("--by-session") { Description = "score each flow with its session" };
        var without = new Option<string[]>("--without")
        {
            Description = "train the splits without these features (set to 0), to see what they contribute",
            AllowMultipleArgumentsPerToken = true,
        };
        var threshold = ThresholdOption();
        var cmd = new Command("eval", "Print the evaluation (Markdown): cross-stack both ways, and the held-out split")
        {
            table, modelPath, kind, bySession, without, threshold,
        };
        cmd.SetAction(parse => (int)Guard(() =>
        {
            var read = ShapeTable.Read(parse.GetValue(table)!, ShapeFeatures.Names);
            var rule = RuleOf(parse.GetValue(threshold));
            var all = Without(read, parse.GetValue(without) ?? []);
            var rows = all.Select(r => r.Sample).ToList();
            foreach (var stack in new[] { "typescript", "csharp" })
            {
                var (train, test) = ShapeSplits.CrossStack(rows, stack, stack == "typescript" ? "csharp" : "typescript");
                var model = Fit(parse.GetValue(kind)!, train, $"cross-stack, {stack} client", rule);
                var other = stack == "typescript" ? "C#" : "TypeScript";
                var families = string.Join(", ",
                    test.Where(r => !r.IsMcp).Select(r => r.Family).Distinct().Order(StringComparer.Ordinal));
                Console.Write(ShapeEvaluation.Of(model, test, parse.GetValue(bySession)).ToMarkdown(
                    $"Train on the {(stack == "typescript" ? "TypeScript" : "C#")} client, " +
                    $"test on the {other} client " +
                    $"(unseen look-alike families: {families})", model.Threshold));
                Console.Write(RecallByProtocol(model, test));
            }
            Console.Write(AltStacks(parse.GetValue(kind)!, rule, rows, parse.GetValue(bySession)));
            Console.Write(UnseenFamilies(parse.GetValue(kind)!, rule, all, parse.GetValue(bySession)));
            var shipped = parse.GetValue(modelPath) is { } path ? ShapeModel.Load(path) : ShapeModels.Default();
            var heldOut = read.Where(r => ShapeSplits.IsHeldOut(r.Session)).Select(r => r.Sample).ToList();
            Console.Write(ShapeEvaluation.Of(shipped, heldOut, parse.GetValue(bySession))
                .ToMarkdown("Shipped model on the held-out quarter of sessions", shipped.Threshold));
            Console.WriteLine($"Scoring one flow's features with the shipped model: " +
                $"{ScoringCost(shipped, rows[0].Features):0} ns.");
            return ExitCode.Success;
        }));
        return cmd;
    }

    private static Command Score()
    {
        var table = new Argument<string>("table") { Description = "feature table from `shape features` (CSV)" };
        var modelPath = new Option<string>("--model") { Description = "model file to score with", Required = true };
        var threshold = new Option<double?>("--threshold")
        {
            Description = "score at or above which a flow is marked mcp (default: the model's own threshold)",
        };
        var json = new Option<bool>("--json") { Description = "print the counts as JSON instead of Markdown" };
        var scores = new Option<string?>("--scores") { Description = "also write each flow's score here (CSV)" };
        var cmd = new Command("score",
            "Score every row of a feature table with a model: flows marked mcp per family, client stack and transport")
        {
            table, modelPath, threshold, json, scores,
        };
        cmd.SetAction(parse => (int)Guard(() =>
        {
            var tablePath = parse.GetValue(table)!;
            var path = parse.GetValue(modelPath)!;
            var model = ShapeModel.Load(path);
            if (parse.GetValue(threshold) is { } t && (double.IsNaN(t) || t < 0 || t > 1))
                throw new InvalidDataException($"--threshold: {t} is not between 0 and 1");
            var rows = ShapeTable.Read(tablePath, model.Features, $"the features of the model {path}");
            var scoring = ShapeScoring.Of(model, rows, parse.GetValue(threshold));
            if (parse.GetValue(scores) is { } scoresPath) File.WriteAllLines(scoresPath, scoring.ScoreLines());
            Console.Write(parse.GetValue(json)
                ? scoring.ToJson(tablePath, path)
                : scoring.ToMarkdown($"{Path.GetFileName(tablePath)} scored by {Path.GetFileName(path)}" +
                    (parse.GetValue(threshold) is null ? " at its threshold" : "")));
            return ExitCode.Success;
        }));
        return cmd;
    }

    /// <summary>The rows with the named features set to 0: a constant the trees never split on.</summary>
    private static List<(ShapeSample Sample, string Session)> Without(
        List<(ShapeSample Sample, string Session)> rows, string[] names)
    {
        var unknown = names.Where(n => Array.IndexOf(ShapeFeatures.Names, n) < 0).ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"--without: no feature {string.Join(", ", unknown)}");
        if (names.Length == 0) return rows;
        var indexes = names.Select(n => Array.IndexOf(ShapeFeatures.Names, n)).ToArray();
        return rows.Select(r =>
        {
            var features = (float[])r.Sample.Features.Clone();
            foreach (var i in indexes) features[i] = 0;
            return (r.Sample with { Features = features }, r.Session);
        }).ToList();
    }

    private static string RecordTrace(Scanner.Tls.TlsFlowSummary flow)
    {
        var b = new System.Text.StringBuilder();
        var last = flow.Start;
        foreach (var r in flow.Records)
        {
            if ((r.Time - last).TotalSeconds >= Scanner.Shape.TlsShapeCounters.IdleGapSeconds) b.Append("| ");
            b.Append(r.FromClient ? 'c' : 's').Append(r.Length).Append(' ');
            last = r.Time;
        }
        return b.Append($"[records {flow.ClientRecords}/{flow.ServerRecords}]").ToString();
    }

    private static Option<string> KindOption()
    {
        var kind = new Option<string>("--kind")
        {
            Description = "trees (boosted trees) or logistic (logistic regression)", DefaultValueFactory = _ => "trees",
        };
        kind.AcceptOnlyFromAmong("trees", "logistic");
        return kind;
    }

    private static Option<string> ThresholdOption()
    {
        var rule = new Option<string>("--threshold")
        {
            Description = "how trees choose their threshold: unseen-families (the shipped model's: look-alikes scored by " +
                "models without their family; one fit per family) or server-folds (out-of-fold scores, folds by server)",
            DefaultValueFactory = _ => "unseen-families",
        };
        rule.AcceptOnlyFromAmong("server-folds", "unseen-families");
        return rule;
    }

    private static ShapeThresholdRule RuleOf(string? text) =>
        text == "unseen-families" ? ShapeThresholdRule.UnseenFamilies : ShapeThresholdRule.ServerFolds;

    private static ShapeModel Fit(string kind, List<ShapeSample> rows, string trainedOn, ShapeThresholdRule rule) => kind == "logistic"
        ? ShapeTrainer.Train(rows, ShapeFeatures.Names, trainedOn)
        : ShapeBoostedTrainer.Train(rows, ShapeFeatures.Names, trainedOn, new ShapeBoostedTrainer.Settings(Threshold: rule));

    /// <summary>
    /// The stacks kept apart: trained on the official SDKs' clients and servers, tested on the AI SDK client and the
    /// tmcp server (Streamable HTTP and legacy SSE), with the look-alike families the training did not see.
    /// </summary>
    private static string AltStacks(string kind, ShapeThresholdRule rule, List<ShapeSample> rows, bool bySession)
    {
        var (train, test) = ShapeSplits.AltStacks(rows);
        if (!test.Any(r => r.IsMcp)) return "";
        var model = Fit(kind, train, "SDK stacks", rule);
        var evaluation = ShapeEvaluation.Of(model, test, bySession);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var b = new System.Text.StringBuilder(evaluation.ToMarkdown(
            "Train on the TypeScript and C# SDKs, test on the AI SDK client and the tmcp server", model.Threshold));
        b.AppendLine("| held-out MCP sessions | recall |").AppendLine("|---|---|");
        foreach (var g in test.Where(r => r.IsMcp)
                     .GroupBy(r => $"{r.ClientStack} client, {(r.Family.EndsWith("-tmcp-sse", StringComparison.Ordinal)
                         ? "tmcp server (legacy SSE)" : r.Family.EndsWith("-tmcp", StringComparison.Ordinal)
                             ? "tmcp server" : "SDK server")}")
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            b.AppendLine(c, $"| {g.Key} | {g.Count(r => model.Score(r.Features) >= model.Threshold)}/{g.Count()} |");
        }
        return b.AppendLine().ToString();
    }

    /// <summary>
    /// A split's MCP recall by the protocol its sessions spoke (the behaviour names it): the 2026-07-28 sessionless
    /// protocol, the legacy HTTP+SSE transport, or Streamable HTTP with the initialize handshake.
    /// </summary>
    private static string RecallByProtocol(ShapeModel model, List<ShapeSample> test)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var b = new System.Text.StringBuilder();
        b.AppendLine("| MCP protocol | recall |").AppendLine("|---|---|");
        foreach (var g in test.Where(r => r.IsMcp).GroupBy(r => ShapeSplits.ProtocolOf(r.Family))
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            b.AppendLine(c, $"| {g.Key} | {g.Count(r => model.Score(r.Features) >= model.Threshold)}/{g.Count()} |");
        }
        return b.AppendLine().ToString();
    }

    /// <summary>
    /// Each look-alike family as if never seen: train on the training sessions without that family, count how many
    /// of its flows (all sessions) are marked mcp. The closest this corpus comes to "captures made elsewhere".
    /// </summary>
    private static string UnseenFamilies(string kind, ShapeThresholdRule rule, List<(ShapeSample Sample, string Session)> all, bool bySession)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var b = new System.Text.StringBuilder();
        b.AppendLine("#### Each look-alike family unseen in training").AppendLine();
        b.AppendLine("| non-MCP family | flows marked mcp | threshold |").AppendLine("|---|---|---|");
        int fp = 0, of = 0;
        var train = all.Where(r => !ShapeSplits.IsHeldOut(r.Session)).Select(r => r.Sample).ToList();
        foreach (var family in all.Where(r => !r.Sample.IsMcp).Select(r => r.Sample.Family).Distinct()
                     .Order(StringComparer.Ordinal))
        {
            var model = Fit(kind, train.Where(r => r.Family != family).ToList(), $"without {family}", rule);
            var rows = all.Where(r => r.Sample.Family == family).Select(r => r.Sample).ToList();
            var hit = ShapeEvaluation.Of(model, rows, bySession).FalsePositives;
            b.AppendLine(c, $"| {family} | {hit}/{rows.Count} | {model.Threshold:0.###} |");
            fp += hit;
            of += rows.Count;
        }
        b.AppendLine(c, $"| all | {fp}/{of} ({(of == 0 ? 0 : fp / (double)of):P1}) | |").AppendLine();
        return b.ToString();
    }

    /// <summary>Mean cost of one score over a million calls, after a warm-up.</summary>
    private static double ScoringCost(ShapeModel model, float[] features)
    {
        var sum = 0.0;
        for (var i = 0; i < 10_000; i++) sum += model.Score(features);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const int N = 1_000_000;
        for (var i = 0; i < N; i++) sum += model.Score(features);
        GC.KeepAlive(sum);
        return clock.Elapsed.TotalNanoseconds / N;
    }

    private static ExitCode Guard(Func<ExitCode> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException
            or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.InvalidInput;
        }
    }
}
